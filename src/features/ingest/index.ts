export { ImportService, type ImportCounts, type ImportOutcome, type ImportProblem, type ImportProgress } from './import.service.js';
export type { InputChunks, InputFormat } from './record-reader.js';
export { generateCatalogue, type SeedOptions } from './seed.js';
export { loadDemoIfEmpty, DEMO_RUNS, DEMO_SEED, type DemoOutcome } from './demo.js';
export { DEMO_VIEW_DEVICE, DEMO_VIEW_SOURCE, syntheticViews } from './demo-views.js';
export { WEEKEND_RUNS } from './seed.js';
export { describeUnsafeLinks, LINK_BLANKED, linkRepairJob, repairLinks, type LinkRepairOptions, type LinkRepairSummary } from './link-repair.js';

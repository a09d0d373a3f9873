export { JobRunner, JobStoppedError, type JobContext, type JobOutcome, type JobRunnerDeps, type RunOptions } from './job-runner.js';
export { scheduleJob, SCHEDULE_CHECK_MS, type Schedule, type ScheduledJob } from './scheduler.js';
export type { JobLeaseStore, JobRecord } from './job-lease.store.js';
export { createPostgresJobLeaseStore } from './postgres-job-lease-store.js';
export { createSqliteJobLeaseStore } from './sqlite-job-lease-store.js';

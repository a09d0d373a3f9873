import type { JobOutcome } from '../features/jobs/index.js';

/** What a job process tells `serve` over IPC (`job-child.ts` → `job-process.ts`). */
export type JobChildMessage =
  | { type: 'progress'; message: string }
  /** `null`: not due after all (another process has just finished it). */
  | { type: 'outcome'; outcome: JobOutcome<unknown> | null }
  | { type: 'error'; message: string };

export function isJobChildMessage(m: unknown): m is JobChildMessage {
  if (typeof m !== 'object' || m === null || !('type' in m)) return false;
  switch (m.type) {
    case 'progress':
    case 'error':
      return 'message' in m && typeof m.message === 'string';
    case 'outcome':
      return 'outcome' in m && typeof m.outcome === 'object';
    default:
      return false;
  }
}

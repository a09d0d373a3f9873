import { jobCommand } from './job-command.js';

export const popularCommand = jobCommand(
  'popular',
  'count detail views in the lake and rebuild the popular rankings',
  `usage: ticketmoa popular

Reads the View_detail_log Parquet files in the lake that were not read before, counts each
event once per event_id, and stores the all-time and trending (1d, 7d, 30d) rankings that
GET /popular serves. Only one run per database at a time; safe to run again.`,
  ({ summary: s }) => [
    `files read: ${s.filesRead} of ${s.filesListed} listed${s.filesFailed > 0 ? ` (${s.filesFailed} unreadable, retried next run)` : ''}`,
    `events read: ${s.eventsRead}, counted: ${s.eventsCounted} (${s.eventsRead - s.eventsCounted} already counted)`,
    `runs ranked: ${s.rankedRuns}`,
  ],
);

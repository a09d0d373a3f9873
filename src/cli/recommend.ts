import { jobCommand } from './job-command.js';

export const recommendCommand = jobCommand(
  'recommend',
  'rebuild the similar-run recommendations of every run',
  `usage: ticketmoa recommend

Compares every run's text (description, title, artists, category) with the runs in the same
region starting up to 90 days after it, blends in how often the same signed-in people viewed
both (View_detail_log of the last 90 days in the lake), and stores up to 3 similar runs per run
for GET /recommendation/{id} (docs/recommendations.md). Only one run per database at a time;
safe to run again.`,
  ({ summary: s }) => [`runs processed: ${s.runsProcessed}`, `runs with recommendations: ${s.withRecommendations}`],
);

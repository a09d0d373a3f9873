/**
 * Sum of every sample of `metric` in a Prometheus text exposition, over the label sets whose text
 * contains `labels` (every label set when empty).
 */
export function metricTotal(text: string, metric: string, labels = ''): number {
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

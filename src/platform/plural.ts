/**
 * A count with its noun in the right number: `counted(1, 'problem')` → "1 problem",
 * `counted(2, 'problem')` → "2 problems"; irregular plurals are passed (`counted(n, 'query', 'queries')`).
 * `format` writes the number (e.g. with thousands separators).
 */
export function counted(count: number, singular: string, plural = `${singular}s`, format: (n: number) => string = String): string {
  return `${format(count)} ${count === 1 ? singular : plural}`;
}

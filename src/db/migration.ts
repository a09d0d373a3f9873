/** One schema step. Ids sort in the order they apply; an applied id never changes. */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export function sortedMigrations(list: readonly Migration[]): Migration[] {
  const ids = new Set<string>();
  for (const m of list) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  return [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

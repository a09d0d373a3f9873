import type { Lake, LakeObject } from '../pipeline/lake/lake.js';

/** An in-process lake for tests. */
export function createMemoryLake(): Lake {
  const objects = new Map<string, Uint8Array>();
  return {
    put: async (key, body) => {
      objects.set(key, new Uint8Array(body));
    },
    get: async (key) => {
      const body = objects.get(key);
      return body === undefined ? undefined : new Uint8Array(body);
    },
    list: async (prefix): Promise<LakeObject[]> =>
      [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, body]) => ({ key, size: body.byteLength }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

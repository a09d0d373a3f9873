import { readFile } from 'node:fs/promises';
import type { Lake } from './lake.js';

/** An in-memory lake for unit tests. */
export function createMemoryLake(): Lake & { objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  return {
    objects,
    put: async (key, body) => {
      objects.set(key, new Uint8Array(body));
    },
    get: async (key) => {
      const body = objects.get(key);
      return body ? new Uint8Array(body) : undefined;
    },
    putFile: async (key, file) => {
      objects.set(key, new Uint8Array(await readFile(file)));
    },
    delete: async (key) => {
      objects.delete(key);
    },
    list: async (prefix) =>
      [...objects.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, body]) => ({ key, size: body.byteLength }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

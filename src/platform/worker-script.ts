import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled script of a worker thread that lives next to the module at `moduleUrl`. Under the
 * test runner modules are TypeScript source, which a worker thread cannot load, so the build's
 * copy is used (`npm test` builds first).
 */
export function workerScript(moduleUrl: string, script: string): URL {
  const here = new URL(script, moduleUrl);
  if (!moduleUrl.endsWith('.ts')) return here;
  const built = new URL(here.href.replace('/src/', '/dist/'));
  if (!existsSync(fileURLToPath(built))) throw new Error(`the worker ${script} is not built (${fileURLToPath(built)}): run npm run build`);
  return built;
}

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './server-process.js';

/**
 * The engine tier's global setup: builds the image under test as a user would (`docker build .`,
 * through scripts/engine.sh, which first makes the base images no registry gives here), once for
 * every file. Without an engine it does nothing: the files skip, or fail in CI.
 */
export function setup(): void {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) return;
  const build = spawnSync(path.join(REPO_ROOT, 'scripts/engine.sh'), ['build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`scripts/engine.sh build failed (exit ${build.status}): the image could not be built`);
}

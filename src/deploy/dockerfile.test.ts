import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => (line.startsWith('FROM ') ? [...all, [line]] : (all.at(-1)?.push(line), all)), []);
const runStage = stages.at(-1) ?? [];
const ofRunStage = (keyword: string) => runStage.filter((line) => line.startsWith(`${keyword} `));

// hadolint cannot be installed here (neither npm nor Debian carry it); dockerfile-utils, the
// linter behind VS Code's Dockerfile support, checks the syntax and the instructions' rules.
describe('the Dockerfile', () => {
  it('when linted, then it has no problem', () => {
    expect(validate(dockerfile)).toEqual([]);
  });

  it('when built, then a build stage with dev dependencies feeds a Node 24 (LTS) slim stage with production ones only', () => {
    expect(dockerfile).toContain('ARG NODE_IMAGE=node:24-bookworm-slim');
    // nothing to pull beyond the base image: no external Dockerfile frontend
    expect(dockerfile).not.toMatch(/^# *syntax *=/m);
    expect(stages.map((s) => s[0])).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE} AS run']);
    expect(stages[0]!.join('\n')).toMatch(/npm ci [^\n]*\n(.*\n)*RUN npm run build\s+&&\s+npm prune --omit=dev/);
    expect(runStage.join('\n')).not.toMatch(/npm (ci|install)/);
    expect(ofRunStage('COPY').every((line) => line.startsWith('COPY --from=build '))).toBe(true);
  });

  it('when run, then Node runs as the unprivileged user under tini, with the data directory on a volume and a health check', () => {
    expect(ofRunStage('USER')).toEqual(['USER node']);
    expect(ofRunStage('ENTRYPOINT')).toEqual(['ENTRYPOINT ["/usr/bin/tini", "--", "node", "bin/ticketmoa.js"]']);
    expect(ofRunStage('CMD')).toEqual(['CMD ["serve"]']);
    expect(ofRunStage('VOLUME')).toEqual(['VOLUME ["/data"]']);
    expect(runStage.join('\n')).toContain('TICKETMOA_DATA_DIR=/data');
    expect(ofRunStage('HEALTHCHECK').join('\n')).toContain('CMD ["node", "bin/healthcheck.js"]');
    expect(readFileSync(path.join(ROOT, 'bin/healthcheck.js'), 'utf8')).toMatch(/'\/readyz'[\s\S]*'\/healthz'/);
  });

  it('when the build context is made, then exactly what the build copies is sent (no .env, data or node_modules)', () => {
    const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.slice(1).map((line) => line.replace(/^!/, '').replace(/\/$/, ''));
    const copied = stages[0]!
      .filter((line) => line.startsWith('COPY '))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
      .map((source) => source.replace(/\/$/, ''));
    // the optional CA bundle of a TLS-inspecting proxy is matched by a wildcard: COPY accepts its absence
    expect(copied.map((source) => source.replace('build-ca.pe[m]', 'build-ca.pem')).sort()).toEqual([...allowed].sort());
    // the admin page's sources and bundler: `npm run build` needs them
    expect(allowed).toEqual(expect.arrayContaining(['web', 'scripts/build-admin.mjs']));
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^deploy\/build-ca\.pem$/m);
  });

  it('when a CA bundle is supplied for the build, then it stays in the build stage: the image that runs copies nothing of it', () => {
    expect(stages[0]!.join('\n')).toMatch(/NODE_EXTRA_CA_CERTS="\$PWD\/build-ca\.pem"/);
    for (const line of ofRunStage('COPY')) expect(line).not.toContain('build-ca');
    expect(ofRunStage('COPY').map((line) => line.split(/\s+/)[2])).toEqual(['/app/package.json', '/app/node_modules', '/app/bin', '/app/dist']);
  });
});

// `npm run dev [-- <serve options>]`: `ticketmoa serve` rebuilt and restarted on every change.
// TypeScript compiles incrementally (`tsc --watch`); once a compilation ends without errors the
// server is stopped (SIGTERM: it shuts down as in production, flushing what it holds) and started
// again. A change under web/admin/ rebuilds the dashboard page first. While the code has type
// errors the running server is left as it is. Ctrl-C stops both. No dependency beyond the
// project's own TypeScript and esbuild.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serveArgs = process.argv.slice(2);
const say = (line) => process.stderr.write(`\x1b[36m[dev]\x1b[0m ${line}\n`);

let server;
let stopping = false;
let restartQueued = false;
let replacing = false;

function startServer() {
  server = spawn(process.execPath, [path.join(root, 'bin', 'ticketmoa.js'), 'serve', ...serveArgs], { cwd: process.cwd(), stdio: 'inherit' });
  const child = server;
  child.on('exit', (code, signal) => {
    if (server === child) server = undefined;
    if (!stopping && !replacing) say(`server exited (${signal ?? code}); waiting for a change`);
  });
}

function stopServer() {
  const child = server;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

let restarting = Promise.resolve();
function restart(reason) {
  if (stopping) return;
  restartQueued = true;
  restarting = restarting.then(async () => {
    if (!restartQueued || stopping) return;
    restartQueued = false;
    say(server ? `${reason}: restarting` : `${reason}: starting`);
    replacing = true;
    await stopServer();
    replacing = false;
    if (!stopping) startServer();
  });
}

function run(file, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code === 0));
  });
}

// The dashboard page: built once now, again (then a restart) when web/admin changes.
let adminTimer;
await run(path.join(root, 'scripts', 'build-admin.mjs'), []);
watch(path.join(root, 'web', 'admin'), { recursive: true }, () => {
  clearTimeout(adminTimer);
  adminTimer = setTimeout(async () => {
    say('web/admin changed: rebuilding the dashboard page');
    if (await run(path.join(root, 'scripts', 'build-admin.mjs'), [])) restart('dashboard page rebuilt');
    else say('the dashboard page did not build; the server keeps the previous one');
  }, 200);
});

// The server code: tsc reports the end of each compilation with "Found N error(s)".
const tsc = spawn(
  process.execPath,
  [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
let pending = '';
tsc.stdout.on('data', (chunk) => {
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const found = /Found (\d+) errors?\./.exec(line);
    if (!found) {
      if (line.trim() !== '') process.stderr.write(`${line}\n`);
      continue;
    }
    if (found[1] === '0') restart(server ? 'src/ compiled' : 'compiled');
    else say(`${found[1]} type error(s): the server keeps running the last good build`);
  }
});
tsc.on('exit', (code) => {
  if (!stopping) say(`tsc --watch exited (${code})`);
});

async function shutdown() {
  if (stopping) return;
  stopping = true;
  tsc.kill('SIGTERM');
  await stopServer();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

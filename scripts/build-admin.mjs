// Bundles the admin dashboard page (web/admin) into dist/web/admin, which `GET /admin` serves:
// one minified script with the parts of ECharts the page draws, its stylesheet and HTML, each
// also gzipped. Part of `npm run build`, so `npm install` and CI build it; no CDN at run time.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'web', 'admin');
const out = path.join(root, 'dist', 'web', 'admin');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(source, 'main.ts')],
  outfile: path.join(out, 'dashboard.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  // the libraries' licence headers go to one file beside the bundle
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const name of ['index.html', 'dashboard.css']) writeFileSync(path.join(out, name), readFileSync(path.join(source, name)));
const sizes = [];
for (const name of ['index.html', 'dashboard.css', 'dashboard.js']) {
  const gz = gzipSync(readFileSync(path.join(out, name)), { level: 9 });
  writeFileSync(path.join(out, `${name}.gz`), gz);
  sizes.push(`${name} ${(gz.length / 1024).toFixed(0)} KiB gzipped`);
}
console.log(`admin dashboard: ${sizes.join(', ')}`);

// Sizes of the release web app in dist/: raw, gzip (level 9) and brotli (quality 11), per
// file kind, as Markdown tables, one per app (each app's wasm + js + css is what its pages
// load, the budget's figure): the main app at the top of dist/ (sign-in, dashboard,
// actions), the coaching session page's app in dist/session/ and the account pages' app in
// dist/accounts/ (setup, password reset, settings, members, organizations).
// Usage: node scripts/bundle-size.mjs dist [--json]
// --json prints the main app's kinds and `total` at the top level, the session app's under
// `session` and the accounts app's under `accounts` (the same shape; null when not built),
// for scripts/bench-report.mjs.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'dist';
const kinds = { '.wasm': 'wasm', '.js': 'js', '.css': 'css', '.html': 'html' };

/** Sizes per kind of the files directly in `folder` (not its subfolders), and their app's total. */
function measure(folder) {
  const totals = {};
  for (const name of readdirSync(folder)) {
    // Skip the precompressed copies: sizes are computed here from the originals.
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const kind = kinds[extname(name)];
    if (!kind || !statSync(join(folder, name)).isFile()) continue;
    const bytes = readFileSync(join(folder, name));
    const sizes = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    totals[kind] = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, (totals[kind]?.[k] ?? 0) + v]));
  }
  const app = ['wasm', 'js', 'css'].filter((k) => totals[k]);
  const sum = (key) => app.reduce((s, k) => s + totals[k][key], 0);
  return { ...totals, total: { raw: sum('raw'), gzip: sum('gzip'), br: sum('br') } };
}

/** The app in `dist/<name>/`, or null when it is not built. */
const measureIn = (name) => (existsSync(join(dir, name)) ? measure(join(dir, name)) : null);

const main = measure(dir);
const session = measureIn('session');
const accounts = measureIn('accounts');
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...main, session, accounts }));
} else {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  const table = (title, sizes) => {
    console.log(`${title}\n\n| file | raw | gzip | brotli |\n|---|---:|---:|---:|`);
    for (const [k, v] of Object.entries(sizes)) if (k !== 'total') console.log(`| ${k} | ${kb(v.raw)} | ${kb(v.gzip)} | ${kb(v.br)} |`);
    console.log(`| **wasm + js + css** | ${kb(sizes.total.raw)} | ${kb(sizes.total.gzip)} | ${kb(sizes.total.br)} |`);
  };
  table(`main app (${dir}/): sign-in, dashboard, actions`, main);
  for (const [name, sizes, what] of [
    ['session', session, 'the coaching session page only'],
    ['accounts', accounts, 'the account pages only'],
  ]) {
    console.log();
    if (sizes) table(`${name} app (${join(dir, name)}/): ${what}`, sizes);
    else console.log(`${name} app: not built (no ${join(dir, name)}/)`);
  }
}

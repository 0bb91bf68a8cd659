// Sizes of the release web app in dist/: raw, gzip (level 9) and brotli (quality 11), per
// file kind, as Markdown tables, one per app (each app's wasm + js + css is what its pages
// load, the budget's figure): the main app at the top of dist/ (sign-in, dashboard,
// actions), the coaching session page's app in dist/session/ and the account pages' app in
// dist/accounts/ (setup, password reset, settings, members, organizations).
// A script the app's index.html names as `type="text/x-tandem-later"` (the notes engine, the
// notes merge) is not fetched with the page: the app loads it on demand, when notes first
// open. Each is listed under `later` by its name without Trunk's hash (`notes-engine`),
// outside the app's total, and budgeted on its own.
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
  const later = loadedLater(folder);
  for (const name of readdirSync(folder)) {
    // Skip the precompressed copies: sizes are computed here from the originals.
    if (name.endsWith('.br') || name.endsWith('.gz')) continue;
    const kind = later.has(name) ? 'later' : kinds[extname(name)];
    if (!kind || !statSync(join(folder, name)).isFile()) continue;
    const bytes = readFileSync(join(folder, name));
    const sizes = {
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
    if (kind === 'later') {
      totals.later = { ...totals.later, [name.replace(/-[0-9a-f]{8,}\.js$/, '').replace(/\.js$/, '')]: sizes };
      continue;
    }
    totals[kind] = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, (totals[kind]?.[k] ?? 0) + v]));
  }
  const app = ['wasm', 'js', 'css'].filter((k) => totals[k]);
  const sum = (key) => app.reduce((s, k) => s + totals[k][key], 0);
  return { ...totals, total: { raw: sum('raw'), gzip: sum('gzip'), br: sum('br') } };
}

/** Names of the files that `folder`'s index.html marks as loaded on demand. */
function loadedLater(folder) {
  const page = join(folder, 'index.html');
  if (!existsSync(page)) return new Set();
  // Trunk writes attribute values with character references (`text&#x2F;x&#x2D;…`).
  const html = readFileSync(page, 'utf8').replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const tags = html.match(/<script[^>]*text\/x-tandem-later[^>]*>/g) ?? [];
  return new Set(tags.map((tag) => tag.match(/src="\/?(?:[^"]*\/)?([^"/]+)"/)?.[1]).filter(Boolean));
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
    const row = (k, v) => console.log(`| ${k} | ${kb(v.raw)} | ${kb(v.gzip)} | ${kb(v.br)} |`);
    for (const [k, v] of Object.entries(sizes)) if (k !== 'total' && k !== 'later') row(k, v);
    console.log(`| **wasm + js + css** | ${kb(sizes.total.raw)} | ${kb(sizes.total.gzip)} | ${kb(sizes.total.br)} |`);
    for (const [name, v] of Object.entries(sizes.later ?? {})) row(`loaded on demand: ${name}`, v);
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

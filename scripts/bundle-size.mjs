// Sizes of the release web app in dist/: raw, gzip (level 9) and brotli (quality 11), per
// file kind, as a Markdown table. Usage: node scripts/bundle-size.mjs dist [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
const kinds = { '.wasm': 'wasm', '.js': 'js', '.css': 'css', '.html': 'html' };
const totals = {};
for (const name of readdirSync(dir)) {
  // Skip the precompressed copies: sizes are computed here from the originals.
  if (name.endsWith('.br') || name.endsWith('.gz')) continue;
  const kind = kinds[extname(name)];
  if (!kind) continue;
  const bytes = readFileSync(join(dir, name));
  const sizes = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  totals[kind] = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, (totals[kind]?.[k] ?? 0) + v]));
}
const app = ['wasm', 'js', 'css'].filter((k) => totals[k]);
const sum = (key) => app.reduce((s, k) => s + totals[k][key], 0);
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ ...totals, total: { raw: sum('raw'), gzip: sum('gzip'), br: sum('br') } }));
} else {
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  console.log('| file | raw | gzip | brotli |\n|---|---:|---:|---:|');
  for (const k of Object.keys(totals)) console.log(`| ${k} | ${kb(totals[k].raw)} | ${kb(totals[k].gzip)} | ${kb(totals[k].br)} |`);
  console.log(`| **wasm + js + css** | ${kb(sum('raw'))} | ${kb(sum('gzip'))} | ${kb(sum('br'))} |`);
}

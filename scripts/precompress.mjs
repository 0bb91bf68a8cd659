// Writes .br (quality 11) and .gz (level 9) copies of the web app's assets next to them, so
// the server sends them compressed without compressing on every request.
// Usage: node scripts/precompress.mjs dist
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'dist';
for (const name of readdirSync(dir)) {
  if (!['.wasm', '.js', '.css', '.html', '.svg'].includes(extname(name))) continue;
  const bytes = readFileSync(join(dir, name));
  writeFileSync(join(dir, `${name}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
}

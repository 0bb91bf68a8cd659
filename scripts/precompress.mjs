// Writes .br (quality 11) and .gz (level 9) copies of the web app's assets next to them, so
// the server sends them compressed without compressing on every request. Each folder named
// is done on its own, not its subfolders (dist/session/ and dist/accounts/ are named separately).
// Usage: node scripts/precompress.mjs dist dist/session dist/accounts
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, extname } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const dirs = process.argv.slice(2);
for (const dir of dirs.length ? dirs : ['dist']) {
  for (const name of readdirSync(dir)) {
    if (!['.wasm', '.js', '.css', '.html', '.svg'].includes(extname(name))) continue;
    if (!statSync(join(dir, name)).isFile()) continue;
    const bytes = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
  }
}

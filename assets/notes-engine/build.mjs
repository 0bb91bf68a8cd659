// Bundles engine.js with Yjs into one minified classic script defining `tandemNotes`,
// at target/notes-engine/notes-engine.js, where session.html takes it from. Trunk runs this
// before every build (Trunk.toml); its dependencies come from `make` (scripts/setup.sh).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

await build({
  entryPoints: [here('engine.js')],
  outfile: here('../../target/notes-engine/notes-engine.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'tandemNotes',
  target: 'es2020',
  banner: { js: '/*! Yjs and lib0 (MIT licence, Kevin Jahns): https://github.com/yjs/yjs */' },
  logLevel: 'warning',
});

// Bundles engine.js with Yjs, ProseMirror and y-prosemirror into one minified classic script defining `tandemNotes`,
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
  // Browsers from 2021 on (class fields and private methods stay as written: smaller).
  target: 'es2022',
  // The libraries' warnings to developers (Yjs imported twice, a caret colour not #rrggbb)
  // cannot happen in this one bundle with the server's colours; without them the editor
  // stays within its 90 KB.
  drop: ['console'],
  banner: { js: '/*! Yjs, lib0, y-prosemirror, y-protocols (MIT, Kevin Jahns); ProseMirror (MIT, Marijn Haverbeke) */' },
  logLevel: 'warning',
});

// Bundles the notes' scripts, each one minified classic script, into target/notes-engine/,
// where session.html takes them from: `notes-engine.js` (`tandemNotes`: engine.js with Yjs,
// ProseMirror and y-prosemirror, for Tandem's live notes) and `notes-merge.js`
// (`tandemMerge`: merge.js with node-diff3, for servers whose notes are one text). Trunk runs
// this before every build (Trunk.toml); the dependencies come from `make` (scripts/setup.sh).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  // Browsers from 2021 on (class fields and private methods stay as written: smaller).
  target: 'es2022',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: [here('engine.js')],
  outfile: here('../../target/notes-engine/notes-engine.js'),
  globalName: 'tandemNotes',
  // The libraries' warnings to developers (Yjs imported twice, a caret colour not #rrggbb)
  // cannot happen in this one bundle with the server's colours; without them the editor
  // stays within its 90 KB.
  drop: ['console'],
  banner: { js: '/*! Yjs, lib0, y-prosemirror, y-protocols (MIT, Kevin Jahns); ProseMirror (MIT, Marijn Haverbeke) */' },
});

await build({
  ...common,
  entryPoints: [here('merge.js')],
  outfile: here('../../target/notes-engine/notes-merge.js'),
  globalName: 'tandemMerge',
  banner: { js: '/*! node-diff3 (MIT, Bryan Housel) */' },
});

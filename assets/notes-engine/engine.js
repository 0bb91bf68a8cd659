// The notes in the browser: Yjs, the reference implementation of the CRDT whose Rust port
// (`yrs`) the server keeps each document in, and the rich text editor bound to it
// (editor.js). Both ends speak Yjs' update format (v1), so an update made here merges on the
// server and in the other person's browser.
//
// Bundled into one classic script (`build.mjs`, one copy of Yjs for the document and the
// editor) that the app loads when notes first open; the app reaches these functions as
// `tandemNotes.*` (src/notes_engine.rs). Updates and state vectors cross into the app as
// base64, as they travel on the wire.

import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';

import { RICH_NAME } from './names.js';

export { mount } from './editor.js';
export { RICH_NAME, TEXT_NAME } from './names.js';

/** Origin of the updates that came from the server: they are not sent back. */
const REMOTE = 'remote';

/** An empty replica with a random client id. */
export function create() {
  return new Y.Doc();
}

/** Calls `send(update)` (base64) for every change made in this tab (typing, "Insert into notes"). */
export function onLocalUpdate(doc, send) {
  doc.on('update', (update, origin) => {
    if (origin !== REMOTE) send(toBase64(update));
  });
}

/**
 * Merges an update from the server; whether the notes changed. Throws on bytes that are not
 * an update.
 */
export function apply(doc, update) {
  let changed = false;
  const seen = (transaction) => {
    changed = transaction.changed.size > 0;
  };
  doc.on('afterTransaction', seen);
  try {
    Y.applyUpdate(doc, fromBase64(update), REMOTE);
  } finally {
    doc.off('afterTransaction', seen);
  }
  return changed;
}

/** Adds `line` as a paragraph of its own at the end of the notes. */
export function appendParagraph(doc, line) {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(line)]);
  const fragment = doc.getXmlFragment(RICH_NAME);
  doc.transact(() => fragment.insert(fragment.length, [paragraph]));
}

/** This replica's state vector: what it has, per client. */
export function stateVector(doc) {
  return toBase64(Y.encodeStateVector(doc));
}

/** Several updates (base64, joined by commas) as one. */
export function mergeUpdates(joined) {
  return toBase64(Y.mergeUpdates(joined.split(',').map(fromBase64)));
}

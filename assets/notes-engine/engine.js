// The notes' merge engine in the browser: Yjs, the reference implementation of the CRDT
// whose Rust port (`yrs`) the server keeps each document in. Both speak Yjs' update format
// (v1), so an update made here merges on the server and in the other person's browser.
//
// Bundled with Yjs into one classic script (`build.mjs`) that the app loads when notes first
// open; the app reaches these functions as `tandemNotes.*` (src/notes_engine.rs). Updates and
// state vectors cross into the app as base64, as they travel on the wire.

import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';

/** Name of the one text inside a notes document (as on the server). */
export const TEXT_NAME = 'notes';

/** An empty replica with a random client id. */
export function create() {
  return new Y.Doc();
}

/** The text as it stands. */
export function text(doc) {
  return doc.getText(TEXT_NAME).toString();
}

/**
 * The smallest single edit that turns `old` into `next` (the text between their common
 * start and common end), in UTF-16 units, never splitting a character made of two units;
 * `null` when they are equal.
 */
export function edit(old, next) {
  if (old === next) return null;
  const shorter = Math.min(old.length, next.length);
  let start = 0;
  while (start < shorter && old.charCodeAt(start) === next.charCodeAt(start)) start += 1;
  if (start > 0 && isHighSurrogate(old.charCodeAt(start - 1))) start -= 1;
  let end = 0;
  while (end < shorter - start && old.charCodeAt(old.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) {
    end += 1;
  }
  if (end > 0 && isLowSurrogate(old.charCodeAt(old.length - end))) end -= 1;
  return { at: start, delete: old.length - end - start, insert: next.slice(start, next.length - end) };
}

const isHighSurrogate = (unit) => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

/** Makes the text `next` with the smallest edit; that edit as an update, or undefined. */
export function replaceText(doc, next) {
  const shared = doc.getText(TEXT_NAME);
  const change = edit(shared.toString(), next);
  if (change === null) return undefined;
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    if (change.delete > 0) shared.delete(change.at, change.delete);
    if (change.insert !== '') shared.insert(change.at, change.insert);
  });
  return toBase64(Y.encodeStateAsUpdate(doc, before));
}

/** Merges an update; whether the text changed. Throws on bytes that are not an update. */
export function apply(doc, update) {
  const before = text(doc);
  Y.applyUpdate(doc, fromBase64(update));
  return text(doc) !== before;
}

/**
 * Merges an update keeping a selection (UTF-16 offsets) on the same characters: text
 * inserted before it moves it on, text inserted at or after it leaves it, so the caret of
 * the person typing never jumps. Answers [changed (0 or 1), start, end].
 */
export function applyKeeping(doc, update, start, end) {
  const shared = doc.getText(TEXT_NAME);
  const length = shared.length;
  // Tied to the character before it (assoc -1): what the other person inserts at the very
  // spot of the caret goes after it, so two people typing at one place keep their words whole.
  const anchor = (index) => Y.createRelativePositionFromTypeIndex(shared, Math.min(index, length), -1);
  const anchors = [anchor(start), anchor(end)];
  const changed = apply(doc, update);
  const after = shared.length;
  const [newStart, newEnd] = anchors.map((relative, i) => {
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
    return absolute === null ? Math.min([start, end][i], after) : absolute.index;
  });
  return new Uint32Array([changed ? 1 : 0, newStart, newEnd]);
}

/** This replica's state vector: what it has, per client. */
export function stateVector(doc) {
  return toBase64(Y.encodeStateVector(doc));
}

/** Several updates (base64, joined by commas) as one. */
export function mergeUpdates(joined) {
  return toBase64(Y.mergeUpdates(joined.split(',').map(fromBase64)));
}

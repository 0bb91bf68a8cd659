// The other person's caret and selection in the notes: y-protocols' awareness over
// Tandem's own routes. This tab's caret goes to the server as it moves (at most every
// 100 ms), when a new page appears (so it sees this caret at once), every 15 s while the
// page stays (y-protocols renews it), and as `null` when the notes close or the page goes.
// Carets arrive from the event stream through the app (`receive`); one not renewed for 30 s
// goes by itself, which is how a vanished browser's caret goes.

import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import { yCursorPlugin } from 'y-prosemirror';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';

/** Shortest time between two sends of this tab's caret. */
const EVERY_MS = 100;

const COLOR = /^#[0-9a-f]{6}$/i;
const colorOf = (user) => (COLOR.test(user?.color) ? user.color : '#55646a');

/** The caret: a bar in the person's colour, their name drawn by CSS (not text in the notes). */
function caretElement(user) {
  const caret = document.createElement('span');
  caret.className = 'ProseMirror-yjs-cursor';
  caret.setAttribute('aria-hidden', 'true');
  caret.dataset.name = String(user?.name ?? '').slice(0, 64);
  caret.style.setProperty('--caret', colorOf(user));
  return caret;
}

/**
 * Carets for the notes of `doc`: answers the editor plugin, `receive(update, userId)` for
 * carets from the stream, and `close()`. `post(update, leaving)` sends this tab's caret and
 * answers a promise of the response.
 */
export function carets(doc, post) {
  const awareness = new Awareness(doc);
  // Who each caret belongs to, by the stream's word: an entry for a tab id first seen from
  // another person is not shown.
  const owners = new Map();
  let quiet = false;
  let last = 0;
  let timer = null;

  const send = (leaving = false) => {
    timer = null;
    last = Date.now();
    if (quiet) return;
    const update = toBase64(encodeAwarenessUpdate(awareness, [doc.clientID]));
    post(update, leaving)
      .then((response) => {
        // A server without carets (the reference backend) is left alone from then on.
        if ([404, 405, 501].includes(response.status)) quiet = true;
        // Too fast for the server: the caret as it stands then goes a little later.
        if (response.status === 429 && !leaving) setTimeout(soon, 500);
      })
      .catch(() => {});
  };
  const soon = () => {
    if (timer === null) timer = setTimeout(send, Math.max(0, last + EVERY_MS - Date.now()));
  };
  awareness.on('update', ({ added, updated, removed }, origin) => {
    if (origin === 'local' && [...added, ...updated, ...removed].includes(doc.clientID)) soon();
  });
  awareness.on('change', ({ added }, origin) => {
    if (origin === 'remote' && added.length > 0 && awareness.getLocalState() !== null) soon();
  });
  const leave = () => {
    if (timer !== null) clearTimeout(timer);
    removeAwarenessStates(awareness, [doc.clientID], 'leaving');
    send(true);
  };
  addEventListener('pagehide', leave);
  // Says this page is here, so the other page answers with its caret.
  awareness.setLocalStateField('user', {});

  return {
    plugin: yCursorPlugin(awareness, {
      cursorBuilder: caretElement,
      selectionBuilder: (user) => ({ style: `background-color: ${colorOf(user)}33`, class: 'ProseMirror-yjs-selection' }),
    }),
    receive(update, userId) {
      const bytes = fromBase64(update);
      const decoder = decoding.createDecoder(bytes);
      if (decoding.readVarUint(decoder) !== 1) return;
      const client = decoding.readVarUint(decoder);
      if (client === doc.clientID || (owners.has(client) && owners.get(client) !== userId)) return;
      owners.set(client, userId);
      applyAwarenessUpdate(awareness, bytes, 'remote');
    },
    close() {
      removeEventListener('pagehide', leave);
      leave();
      awareness.destroy();
    },
  };
}

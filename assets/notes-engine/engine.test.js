// Unit tests of the browser's notes engine and editor commands (`node --test`, run by
// `make test`). What needs a page (typing, pasting, the toolbar) is tested in e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { EditorState, TextSelection } from 'prosemirror-state';

import { apply, appendParagraph, create, mergeUpdates, onLocalUpdate, RICH_NAME, stateVector, TEXT_NAME } from './engine.js';
import { markActive, toggleHeading, toggleLink, toggleList, toggleQuote, toggleTask } from './commands.js';
import { safeHref, schema } from './schema.js';

/** A replica that keeps every update it makes, as the app sends them. */
function replica() {
  const doc = create();
  doc.sent = [];
  onLocalUpdate(doc, (update) => doc.sent.push(update));
  return doc;
}

/** The rich notes as lines: one per paragraph. */
const lines = (doc) => doc.getXmlFragment(RICH_NAME).toArray().map((paragraph) => paragraph.toArray().join(''));

test('a paragraph added here is sent, and merges into another replica once', () => {
  const coach = replica();
  appendParagraph(coach, 'Budget for the team');
  appendParagraph(coach, 'Next steps');
  assert.equal(coach.sent.length, 2);
  assert.deepEqual(lines(coach), ['Budget for the team', 'Next steps']);
  const coachee = replica();
  assert.equal(apply(coachee, coach.sent[0]), true);
  assert.equal(apply(coachee, coach.sent[1]), true);
  assert.deepEqual(lines(coachee), ['Budget for the team', 'Next steps']);
  // Received updates are not sent back, and one merged twice changes nothing.
  assert.deepEqual(coachee.sent, []);
  assert.equal(apply(coachee, coach.sent[1]), false);
  assert.equal(stateVector(coachee), stateVector(coach));
});

test('a deletion by the other person counts as a change', () => {
  const coach = replica();
  appendParagraph(coach, 'Draft');
  const coachee = replica();
  apply(coachee, coach.sent[0]);
  const fragment = coach.getXmlFragment(RICH_NAME);
  coach.transact(() => fragment.delete(0, 1));
  assert.equal(apply(coachee, coach.sent[1]), true);
  assert.deepEqual(lines(coachee), []);
});

test('updates made one after another merge into one that does the same', () => {
  const coach = replica();
  for (const line of ['one', 'two', 'three']) appendParagraph(coach, line);
  const merged = mergeUpdates(coach.sent.join(','));
  const other = create();
  assert.equal(apply(other, merged), true);
  assert.deepEqual(lines(other), ['one', 'two', 'three']);
});

test('bytes that are not an update are refused and change nothing', () => {
  const doc = replica();
  appendParagraph(doc, 'kept');
  assert.throws(() => apply(doc, Buffer.from('not a document update').toString('base64')));
  assert.deepEqual(lines(doc), ['kept']);
});

test('an update made by the server engine (yrs) merges here', () => {
  // Made by yrs 0.28 as client 2^53 − 2 (protocol/src/notes_crdt.rs checks it makes exactly this).
  const doc = replica();
  assert.equal(apply(doc, YRS_UPDATE), true);
  assert.equal(doc.getText(TEXT_NAME).toString(), 'Hello from yrs: café ☕ 😀');
  assert.deepEqual(doc.sent, []);
});

const YRS_UPDATE = 'AQH+////////DwAEAQVub3Rlcx5IZWxsbyBmcm9tIHlyczogY2Fmw6kg4piVIPCfmIAA';

test('links may point only to http, https and mailto addresses', () => {
  assert.equal(safeHref('https://ok.example/a?b=1'), 'https://ok.example/a?b=1');
  assert.equal(safeHref(' http://ok.example '), 'http://ok.example/');
  assert.equal(safeHref('mailto:sam@tandem.demo'), 'mailto:sam@tandem.demo');
  for (const bad of ['javascript:alert(1)', 'JaVa\tScRiPt:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '', null, 7]) {
    assert.equal(safeHref(bad), null, String(bad));
  }
  assert.equal(safeHref(`https://ok.example/${'a'.repeat(3000)}`), null);
  // Drawn without the address when another person's update carries a bad one.
  assert.deepEqual(schema.marks.link.spec.toDOM(schema.marks.link.create({ href: 'javascript:alert(1)' })), ['span', 0]);
});

/** An editor state of `text` in one paragraph, with `from`..`to` selected. */
function stateOf(text, from = 1, to = from) {
  const doc = schema.node('doc', null, [schema.node('paragraph', null, text ? [schema.text(text)] : [])]);
  const state = EditorState.create({ doc });
  return state.apply(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
}

/** Runs `command` on `state`; the state after it, or null when it could not run. */
function run(command, state) {
  let after = null;
  const ran = command(state, (tr) => {
    after = state.apply(tr);
  });
  return ran ? after ?? state : null;
}

test('the heading button makes a heading of the level, and a paragraph again', () => {
  const heading = run(toggleHeading(2), stateOf('Next steps'));
  assert.equal(heading.doc.firstChild.type.name, 'heading');
  assert.equal(heading.doc.firstChild.attrs.level, 2);
  assert.equal(run(toggleHeading(2), heading).doc.firstChild.type.name, 'paragraph');
  assert.equal(run(toggleHeading(1), heading).doc.firstChild.attrs.level, 1);
});

test('the list buttons wrap the paragraph in a list and take it out again', () => {
  for (const name of ['bullet_list', 'ordered_list', 'task_list']) {
    const listed = run(toggleList(schema.nodes[name]), stateOf('Call the venue', 3));
    assert.equal(listed.doc.firstChild.type.name, name);
    assert.equal(run(toggleList(schema.nodes[name]), listed).doc.firstChild.type.name, 'paragraph', name);
  }
});

test('the quote button quotes the paragraph and takes it out again', () => {
  const quoted = run(toggleQuote, stateOf('Said in the session', 3));
  assert.equal(quoted.doc.firstChild.type.name, 'blockquote');
  assert.equal(quoted.doc.firstChild.firstChild.textContent, 'Said in the session');
  const back = run(toggleQuote, quoted);
  assert.equal(back.doc.firstChild.type.name, 'paragraph');
  assert.equal(back.doc.childCount, 1);
});

test('a task is ticked and unticked; outside a task nothing happens', () => {
  const listed = run(toggleList(schema.nodes.task_list), stateOf('Call the venue', 3));
  const ticked = run(toggleTask, listed);
  assert.equal(ticked.doc.firstChild.firstChild.attrs.checked, true);
  assert.equal(run(toggleTask, ticked).doc.firstChild.firstChild.attrs.checked, false);
  assert.equal(run(toggleTask, stateOf('Plain')), null);
});

test('a link is made only to an address allowed, and taken off again', () => {
  const selected = stateOf('the venue', 1, 10);
  globalThis.prompt = () => 'javascript:alert(1)';
  assert.equal(run(toggleLink, selected), null);
  globalThis.prompt = () => 'https://venue.example/';
  const linked = run(toggleLink, selected);
  assert.equal(markActive(linked, schema.marks.link), true);
  assert.equal(linked.doc.firstChild.firstChild.marks[0].attrs.href, 'https://venue.example/');
  assert.equal(markActive(run(toggleLink, linked), schema.marks.link), false);
  delete globalThis.prompt;
  // Without a selection there is nothing to link.
  assert.equal(run(toggleLink, stateOf('the venue', 3)), null);
});

test('the document layout is what the server reads: element names and attributes', () => {
  // y-prosemirror writes each node as an XML element named after its type.
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(RICH_NAME);
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2);
  fragment.insert(0, [heading]);
  assert.equal(fragment.toArray()[0].nodeName, 'heading');
  for (const name of ['paragraph', 'heading', 'blockquote', 'code_block', 'horizontal_rule', 'bullet_list', 'ordered_list', 'list_item', 'task_list', 'task_item', 'hard_break']) {
    assert.ok(schema.nodes[name], name);
  }
  for (const name of ['strong', 'em', 'strike', 'code', 'link']) assert.ok(schema.marks[name], name);
});

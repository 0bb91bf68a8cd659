// Unit tests of the three-way merge of notes text (`node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { merge } from './merge.js';

test('changes at different places both stay', () => {
  const base = 'Goals for the talk.\nPractise twice.\nBook the room.';
  const mine = 'Goals for the big talk.\nPractise twice.\nBook the room.';
  const theirs = 'Goals for the talk.\nPractise twice.\nBook the room on Friday.';
  assert.deepEqual(merge(base, mine, theirs), { text: 'Goals for the big talk.\nPractise twice.\nBook the room on Friday.', conflict: false });
});

test('both writing at the same place keep both people’s words, mine first', () => {
  const { text, conflict } = merge('Notes:', 'Notes: coach adds', 'Notes: Sam adds');
  assert.equal(conflict, true);
  assert.equal(text, 'Notes: coach adds Sam adds');
});

test('an edit beats a deletion of the same words, and a deletion elsewhere holds', () => {
  assert.equal(merge('one two three', 'one three', 'one two three four').text, 'one three four');
  assert.equal(merge('a b c', 'a c', 'a B c').text, 'a B c');
});

test('the same change on both sides appears once; nothing changed gives the text back', () => {
  assert.deepEqual(merge('x', 'x y', 'x y'), { text: 'x y', conflict: false });
  assert.deepEqual(merge('same', 'same', 'same'), { text: 'same', conflict: false });
  assert.deepEqual(merge('', 'mine', ''), { text: 'mine', conflict: false });
  // Words both wrote at one spot stay apart.
  assert.equal(merge('', 'mine', 'theirs').text, 'mine theirs');
});

test('line breaks and blank lines survive the merge', () => {
  const base = 'Top\n\nBottom';
  assert.equal(merge(base, 'Top mine\n\nBottom', 'Top\n\nBottom theirs').text, 'Top mine\n\nBottom theirs');
});

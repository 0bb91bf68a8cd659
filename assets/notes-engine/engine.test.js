// Unit tests of the browser's merge engine (`node --test`, run by `make test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, applyKeeping, create, edit, mergeUpdates, replaceText, stateVector, text } from './engine.js';

/** A replica that remembers every update it made, so tests can ship them. */
function replica(initial = '') {
  const doc = create();
  doc.__typed = [];
  if (initial !== '') type(doc, initial);
  return doc;
}

function type(doc, next) {
  const update = replaceText(doc, next);
  if (update !== undefined) doc.__typed?.push(update);
  return update;
}

test('the edit between two texts is the part between their common start and end', () => {
  assert.equal(edit('same', 'same'), null);
  assert.deepEqual(edit('Hello world', 'Hello brave world'), { at: 6, delete: 0, insert: 'brave ' });
  assert.deepEqual(edit('Hello brave world', 'Hello world'), { at: 6, delete: 6, insert: '' });
  assert.deepEqual(edit('abc', 'aXc'), { at: 1, delete: 1, insert: 'X' });
  assert.deepEqual(edit('', 'new'), { at: 0, delete: 0, insert: 'new' });
  // "aa" → "aaa": the common start and end must not overlap.
  assert.deepEqual(edit('aa', 'aaa'), { at: 2, delete: 0, insert: 'a' });
});

test('the edit never splits a character made of two UTF-16 units', () => {
  // 😀 and 😃 share their first unit; 😀 and 🙀 share their last.
  assert.deepEqual(edit('a😀b', 'a😃b'), { at: 1, delete: 2, insert: '😃' });
  assert.deepEqual(edit('a😀b', 'a🙀b'), { at: 1, delete: 2, insert: '🙀' });
});

test('typing makes one small update, and nothing when the text is unchanged', () => {
  const doc = replica('Notes');
  assert.equal(type(doc, 'Notes'), undefined);
  const update = type(doc, 'Notes, more');
  assert.ok(update.length < 60, `a six-character insert is a small update (${update.length} base64 characters)`);
  assert.equal(text(doc), 'Notes, more');
});

test('two people typing at once at different places both end with everything both typed', () => {
  const coach = replica('Start. End.');
  const coachee = create();
  apply(coachee, coach.__typed[0]);
  const fromCoach = type(coach, 'Start, said the coach. End.');
  const fromCoachee = replaceText(coachee, 'Start. End, said the coachee.');
  assert.equal(apply(coach, fromCoachee), true);
  assert.equal(apply(coachee, fromCoach), true);
  assert.equal(text(coach), 'Start, said the coach. End, said the coachee.');
  assert.equal(text(coachee), text(coach));
  // An update already merged changes nothing.
  assert.equal(apply(coach, fromCoachee), false);
});

test('the caret stays on its characters while the other person writes before, at and after it', () => {
  const mine = replica('one two three');
  const theirs = create();
  apply(theirs, mine.__typed[0]);
  // My caret is after "one two" (offset 7), my selection empty.
  const before = replaceText(theirs, 'zero one two three');
  assert.deepEqual([...applyKeeping(mine, before, 7, 7)], [1, 12, 12]);
  const after = replaceText(theirs, 'zero one two three four');
  assert.deepEqual([...applyKeeping(mine, after, 12, 12)], [1, 12, 12]);
  // Text put right at my caret goes after it: my next letters stay with my word.
  const at = replaceText(theirs, 'zero one twoX three four');
  assert.deepEqual([...applyKeeping(mine, at, 12, 12)], [1, 12, 12]);
  assert.equal(text(mine), 'zero one twoX three four');
});

test('text deleted under the caret puts the caret where the text was', () => {
  const mine = replica('hello world');
  const theirs = create();
  apply(theirs, mine.__typed[0]);
  // My selection covers "lo wo" (3..8); they add before it, then cut the words under it.
  const before = replaceText(theirs, '>> hello world');
  assert.deepEqual([...applyKeeping(mine, before, 3, 8)], [1, 6, 11]);
  const cut = replaceText(theirs, '>> world!');
  assert.deepEqual([...applyKeeping(mine, cut, 9, 9)], [1, 3, 3]);
  assert.equal(text(mine), '>> world!');
});

test('two people typing at one spot letter by letter each keep their words together', () => {
  const coach = replica('Notes: ');
  const coachee = create();
  apply(coachee, coach.__typed[0]);
  let [coachCaret, coacheeCaret] = [7, 7];
  const typeAt = (doc, caret, letter) => {
    const now = text(doc);
    return replaceText(doc, now.slice(0, caret) + letter + now.slice(caret));
  };
  // Each applies the other's letter as it arrives.
  for (const [a, b] of [...'abcd'].map((letter, i) => [letter, 'wxyz'[i]])) {
    const fromCoach = typeAt(coach, coachCaret, a);
    coachCaret += 1;
    const fromCoachee = typeAt(coachee, coacheeCaret, b);
    coacheeCaret += 1;
    coachCaret = applyKeeping(coach, fromCoachee, coachCaret, coachCaret)[1];
    coacheeCaret = applyKeeping(coachee, fromCoach, coacheeCaret, coacheeCaret)[1];
  }
  assert.equal(text(coach), text(coachee));
  assert.match(text(coach), /abcd/);
  assert.match(text(coach), /wxyz/);
});

test('updates typed one after another merge into one that does the same', () => {
  const doc = replica();
  const updates = [type(doc, 'a'), type(doc, 'ab'), type(doc, 'abc'), type(doc, 'abXc')];
  const merged = mergeUpdates(updates.join(','));
  const other = create();
  assert.equal(apply(other, merged), true);
  assert.equal(text(other), 'abXc');
  assert.equal(stateVector(other), stateVector(doc));
  // Yjs hands a lone update back as it is; junk beside a real one is refused.
  assert.throws(() => mergeUpdates(`${updates[0]},${Buffer.from('junk').toString('base64')}`));
});

test('bytes that are not an update are refused and change nothing', () => {
  const doc = replica('kept');
  assert.throws(() => apply(doc, Buffer.from('not a document update').toString('base64')));
  assert.equal(text(doc), 'kept');
});

test('an update made by the server engine (yrs) merges here', () => {
  // Made by yrs 0.28 as client 2^53 − 2 (protocol/src/notes_crdt.rs checks it makes exactly this).
  const doc = create();
  assert.equal(apply(doc, YRS_UPDATE), true);
  assert.equal(text(doc), 'Hello from yrs: café ☕ 😀');
  // Typing on top of it here, and that text reaching a third replica, keeps both intact.
  const typed = replaceText(doc, 'Hello from yrs and Yjs: café ☕ 😀');
  const third = create();
  apply(third, YRS_UPDATE);
  assert.equal(apply(third, typed), true);
  assert.equal(text(third), 'Hello from yrs and Yjs: café ☕ 😀');
  assert.equal(stateVector(third), stateVector(doc));
});

const YRS_UPDATE = 'AQH+////////DwAEAQVub3Rlcx5IZWxsbyBmcm9tIHlyczogY2Fmw6kg4piVIPCfmIAA';

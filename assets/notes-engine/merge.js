// Three-way merge of notes text, for servers whose notes are one text overwritten whole (the
// reference backend): when a save reads back something else, what someone else wrote
// meanwhile is merged with what was typed here, from the last text both saw. node-diff3
// finds the changes; where both changed the same place, both people's words are kept.
//
// Built into a script of its own (`tandemMerge`, see build.mjs), loaded only on such a server.

import { diff3Merge } from 'node-diff3';

/** Words and the whitespace between them, so an edit anywhere in a line merges by word. */
const tokens = (text) => text.split(/(\s+)/).filter((token) => token !== '');

/**
 * Merges `mine` and `theirs`, both made from `base`: every change of either, and where both
 * changed the same words, mine's new words then theirs' (text one side deleted and the other
 * kept goes). Answers `{ text, conflict }`; `conflict` says both changed the same place.
 */
export function merge(base, mine, theirs) {
  let conflict = false;
  const out = [];
  for (const region of diff3Merge(tokens(mine), tokens(base), tokens(theirs), { excludeFalseConflicts: true })) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    conflict = true;
    const { a, o, b } = region.conflict;
    const inBase = new Set(o);
    const inTheirs = new Set(b);
    // A side's words stay if they are new, or (mine) theirs kept them too; the space after a
    // word kept stays with it.
    const kept = (side, keep) => side.filter((token, i) => keep(token) || (isSpace(token) && i > 0 && keep(side[i - 1])));
    const mineKept = kept(a, (token) => !inBase.has(token) || inTheirs.has(token));
    const theirsKept = kept(b, (token) => !inBase.has(token));
    if (mineKept.length > 0 && theirsKept.length > 0 && !isSpace(mineKept.at(-1)) && !isSpace(theirsKept[0])) {
      mineKept.push(' ');
    }
    out.push(...mineKept, ...theirsKept);
  }
  return { text: out.join(''), conflict };
}

const isSpace = (token) => /^\s/.test(token);

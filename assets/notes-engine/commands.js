// What the notes editor can do, as ProseMirror commands: the toolbar, the keyboard shortcuts
// and the Markdown input rules all run these.

import { baseKeymap, chainCommands, exitCode, lift, setBlockType, toggleMark, wrapIn } from 'prosemirror-commands';
import { InputRule, inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules';
import { keymap } from 'prosemirror-keymap';
import { liftListItem, sinkListItem, splitListItem, wrapInList } from 'prosemirror-schema-list';
import { redoCommand, undoCommand } from 'y-prosemirror';

import { safeHref, schema } from './schema.js';

const { nodes, marks } = schema;

/** The block the selection starts in is already of this type (with these attributes). */
export function blockIs(state, type, attrs = {}) {
  const { $from, to } = state.selection;
  const parent = $from.parent;
  return to <= $from.end() && parent.hasMarkup(type, { ...parent.type.defaultAttrs, ...attrs });
}

/** Makes the block a heading of `level`, or a paragraph again when it is one. */
export const toggleHeading = (level) => (state, dispatch) =>
  blockIs(state, nodes.heading, { level })
    ? setBlockType(nodes.paragraph)(state, dispatch)
    : setBlockType(nodes.heading, { level })(state, dispatch);

/** The innermost list around the selection, with its depth, or null. */
function listAround(state) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const type = $from.node(depth).type;
    if (type === nodes.bullet_list || type === nodes.ordered_list || type === nodes.task_list) return { type, depth };
  }
  return null;
}

/** Wraps the selection in a list of `type`; lifts it out when it is in one already. */
export const toggleList = (type) => (state, dispatch) => {
  const around = listAround(state);
  if (around?.type === type) return liftListItem(type === nodes.task_list ? nodes.task_item : nodes.list_item)(state, dispatch);
  return wrapInList(type)(state, dispatch);
};

/** Quotes the selected blocks, or takes them out of the quote they are in. */
export function toggleQuote(state, dispatch) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    if ($from.node(depth).type === nodes.blockquote) return lift(state, dispatch);
  }
  return wrapIn(nodes.blockquote)(state, dispatch);
}

/** Ticks or unticks the task the selection is in. */
export function toggleTask(state, dispatch) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth -= 1) {
    const node = $from.node(depth);
    if (node.type === nodes.task_item) {
      if (dispatch) dispatch(state.tr.setNodeMarkup($from.before(depth), null, { checked: !node.attrs.checked }));
      return true;
    }
  }
  return false;
}

export function insertRule(state, dispatch) {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.horizontal_rule.create()).scrollIntoView());
  return true;
}

/** Whether the selection has the mark (everywhere in it, or as the marks to type with). */
export function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  return empty ? !!type.isInSet(state.storedMarks || $from.marks()) : state.doc.rangeHasMark(from, to, type);
}

/** Links the selected text to an address asked for; removes the link when there is one. */
export function toggleLink(state, dispatch) {
  if (state.selection.empty) return false;
  if (markActive(state, marks.link)) return toggleMark(marks.link)(state, dispatch);
  if (!dispatch) return true;
  const asked = globalThis.prompt?.('Link address (https://…)', 'https://');
  const href = safeHref(asked);
  if (!href) return false;
  return toggleMark(marks.link, { href })(state, dispatch);
}

export const undo = undoCommand;
export const redo = redoCommand;

/**
 * `**bold**`-style input: when the closing delimiter is typed, the text between the
 * delimiters (`match[1]`, `size` characters each) gets the mark and the delimiters go.
 */
function markRule(pattern, type, size) {
  return new InputRule(pattern, (state, match, start, end) => {
    const inner = match[1];
    // The last character typed is not in the document yet: the closing delimiter's other
    // characters end at `end`.
    const innerStart = start + match[0].lastIndexOf(inner);
    const tr = state.tr.delete(innerStart + inner.length, end).delete(innerStart - size, innerStart);
    return tr.addMark(innerStart - size, innerStart - size + inner.length, type.create()).removeStoredMark(type);
  });
}

const rules = inputRules({
  rules: [
    textblockTypeInputRule(/^(#{1,2})\s$/, nodes.heading, (match) => ({ level: match[1].length })),
    wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
    wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list),
    wrappingInputRule(
      /^(\d+)\.\s$/,
      nodes.ordered_list,
      (match) => ({ order: +match[1] }),
      (match, node) => node.childCount + node.attrs.order === +match[1],
    ),
    wrappingInputRule(/^\s*\[ ?\]\s$/, nodes.task_list),
    textblockTypeInputRule(/^```$/, nodes.code_block),
    markRule(/\*\*([^*\s](?:[^*]*[^*\s])?)\*\*$/, marks.strong, 2),
    markRule(/(?:^|[^*\w])\*([^*\s](?:[^*]*[^*\s])?)\*$/, marks.em, 1),
    markRule(/(?:^|[^_\w])_([^_\s](?:[^_]*[^_\s])?)_$/, marks.em, 1),
    markRule(/~~([^~\s](?:[^~]*[^~\s])?)~~$/, marks.strike, 2),
    markRule(/`([^`]+)`$/, marks.code, 1),
  ],
});

const itemCommands = (command) => chainCommands(command(nodes.list_item), command(nodes.task_item));

const keys = keymap({
  'Mod-z': undo,
  'Mod-y': redo,
  'Shift-Mod-z': redo,
  'Mod-b': toggleMark(marks.strong),
  'Mod-i': toggleMark(marks.em),
  'Shift-Mod-x': toggleMark(marks.strike),
  'Mod-e': toggleMark(marks.code),
  'Mod-k': toggleLink,
  'Mod-Alt-1': toggleHeading(1),
  'Mod-Alt-2': toggleHeading(2),
  'Mod-Alt-0': setBlockType(nodes.paragraph),
  'Shift-Mod-7': toggleList(nodes.ordered_list),
  'Shift-Mod-8': toggleList(nodes.bullet_list),
  'Shift-Mod-9': toggleList(nodes.task_list),
  'Shift-Mod-b': toggleQuote,
  'Mod-Enter': toggleTask,
  'Shift-Enter': chainCommands(exitCode, (state, dispatch) => {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
    return true;
  }),
  Enter: itemCommands(splitListItem),
  // Only inside a list, where it indents; elsewhere Tab leaves the notes as everywhere.
  Tab: itemCommands(sinkListItem),
  'Shift-Tab': itemCommands(liftListItem),
});

/** Input rules, then the notes' keys, then ProseMirror's base keys. */
export const editingPlugins = [rules, keys, keymap(baseKeymap)];

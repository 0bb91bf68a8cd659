// The rich notes editor: ProseMirror bound to the notes document's XML fragment by
// y-prosemirror, with a small toolbar. Each person's edits are undone on their own (Yjs'
// UndoManager follows only this editor's changes), and the editor is a labelled multi-line
// text box for assistive technology.

import { EditorState, Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { toggleMark } from 'prosemirror-commands';
import { ySyncPlugin, yUndoPlugin, yUndoPluginKey } from 'y-prosemirror';

import {
  blockIs,
  editingPlugins,
  insertRule,
  markActive,
  redo,
  toggleHeading,
  toggleLink,
  toggleList,
  toggleQuote,
  undo,
} from './commands.js';
import { carets } from './carets.js';
import { schema } from './schema.js';
import { RICH_NAME } from './names.js';

const { nodes, marks } = schema;

/** The toolbar's buttons: label, what a screen reader says, shortcut, command, when it is on. */
const BUTTONS = [
  ['H1', 'Heading', 'Ctrl+Alt+1', toggleHeading(1), (s) => blockIs(s, nodes.heading, { level: 1 })],
  ['H2', 'Subheading', 'Ctrl+Alt+2', toggleHeading(2), (s) => blockIs(s, nodes.heading, { level: 2 })],
  ['B', 'Bold', 'Ctrl+B', toggleMark(marks.strong), (s) => markActive(s, marks.strong)],
  ['I', 'Italic', 'Ctrl+I', toggleMark(marks.em), (s) => markActive(s, marks.em)],
  ['S', 'Strikethrough', 'Ctrl+Shift+X', toggleMark(marks.strike), (s) => markActive(s, marks.strike)],
  ['</>', 'Code', 'Ctrl+E', toggleMark(marks.code), (s) => markActive(s, marks.code)],
  ['•', 'Bullet list', 'Ctrl+Shift+8', toggleList(nodes.bullet_list)],
  ['1.', 'Numbered list', 'Ctrl+Shift+7', toggleList(nodes.ordered_list)],
  ['☐', 'Task list', 'Ctrl+Shift+9', toggleList(nodes.task_list)],
  ['❝', 'Quote', 'Ctrl+Shift+B', toggleQuote],
  ['―', 'Horizontal rule', null, insertRule],
  ['🔗', 'Link', 'Ctrl+K', toggleLink, (s) => markActive(s, marks.link)],
  ['↶', 'Undo', 'Ctrl+Z', undo],
  ['↷', 'Redo', 'Ctrl+Y', redo],
];

/** The toolbar above the text (first in `host`): its buttons show which marks and blocks are on. */
function toolbar(host) {
  const bar = document.createElement('div');
  bar.className = 'notes-toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Formatting');
  const buttons = BUTTONS.map(([label, name, shortcut, command, active]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.setAttribute('aria-label', name);
    button.title = shortcut ? `${name} (${shortcut})` : name;
    bar.append(button);
    return { button, command, active };
  });
  host.append(bar);
  return new Plugin({
    view(view) {
      const update = () => {
        for (const { button, command, active } of buttons) {
          button.disabled = !command(view.state, undefined, view);
          if (active) button.setAttribute('aria-pressed', String(active(view.state)));
        }
      };
      for (const { button, command } of buttons) {
        // Keeps the text's selection: the click must not take the focus first.
        button.addEventListener('mousedown', (event) => event.preventDefault());
        button.addEventListener('click', () => {
          command(view.state, view.dispatch, view);
          view.focus();
        });
      }
      // Undo and redo change the document before their stacks: the buttons look again after.
      const history = yUndoPluginKey.getState(view.state)?.undoManager;
      history?.on('stack-item-added', update);
      history?.on('stack-item-popped', update);
      update();
      return {
        update,
        destroy: () => {
          history?.off('stack-item-added', update);
          history?.off('stack-item-popped', update);
          bar.remove();
        },
      };
    },
  });
}

/** A task with its box: ticking the box (by mouse or keyboard) ticks the task for both. */
class TaskView {
  constructor(node, view, getPos) {
    this.dom = document.createElement('li');
    this.box = document.createElement('input');
    this.box.type = 'checkbox';
    this.box.contentEditable = 'false';
    this.box.setAttribute('aria-label', 'Done');
    this.box.addEventListener('change', () => {
      const at = getPos();
      const current = at === undefined ? null : view.state.doc.nodeAt(at);
      if (current) view.dispatch(view.state.tr.setNodeMarkup(at, null, { checked: !current.attrs.checked }));
    });
    this.contentDOM = document.createElement('div');
    this.dom.append(this.box, this.contentDOM);
    this.update(node);
  }

  update(node) {
    if (node.type !== nodes.task_item) return false;
    this.dom.dataset.task = node.attrs.checked ? 'done' : 'open';
    this.box.checked = node.attrs.checked;
    return true;
  }

  stopEvent(event) {
    return event.target === this.box;
  }

  ignoreMutation(mutation) {
    return mutation.target === this.box || !this.contentDOM.contains(mutation.target);
  }
}

/**
 * Shows the notes of `doc` for editing in `host` (an empty element the app leaves to the
 * editor): the toolbar, then the text. `placeholder` shows while the notes are empty.
 * `caretsUrl` is where this tab's caret is sent (with `X-Version: version`). Answers the
 * editor, with `destroy()`, `selectedText()` and `receiveCaret(update, userId)`.
 */
export function mount(doc, host, placeholder, caretsUrl, version) {
  const fragment = doc.getXmlFragment(RICH_NAME);
  const post = (update, leaving) =>
    fetch(caretsUrl, {
      method: 'POST',
      credentials: 'include',
      keepalive: leaving,
      headers: { 'Content-Type': 'application/json', 'X-Version': version },
      body: JSON.stringify({ update }),
    });
  const others = carets(doc, post);
  const state = EditorState.create({
    schema,
    plugins: [ySyncPlugin(fragment), others.plugin, yUndoPlugin(), ...editingPlugins, toolbar(host)],
  });
  const place = document.createElement('div');
  host.append(place);
  const view = new EditorView({ mount: place }, {
    state,
    nodeViews: { task_item: (node, editorView, getPos) => new TaskView(node, editorView, getPos) },
    attributes: (current) => ({
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': 'Session notes',
      class: current.doc.childCount <= 1 && current.doc.textContent === '' ? 'notes-editor is-empty' : 'notes-editor',
      'data-placeholder': placeholder,
    }),
  });
  return {
    view,
    destroy: () => {
      others.close();
      view.destroy();
    },
    receiveCaret: (update, userId) => others.receive(update, userId),
    selectedText: () => {
      const { from, to } = view.state.selection;
      return view.state.doc.textBetween(from, to, '\n', ' ').trim();
    },
  };
}

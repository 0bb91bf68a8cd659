// The rich notes' schema: the nodes and marks the editor offers, named as the server's
// Markdown renderer reads them from the shared document (server/src/notes/markdown.rs).
//
// The schema is also the paste sanitizer: ProseMirror parses pasted or dropped HTML in a
// detached document (no script runs, nothing loads) and keeps only what a rule below reads.
// Every other element leaves its text, every other attribute (event handlers, styles, classes)
// is gone, and a link keeps its address only when `safeHref` allows it.

import { Schema } from 'prosemirror-model';

/** The link schemes a note may point to; everything else (javascript:, data:, …) is dropped. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** `href` when it is an absolute http, https or mailto address; otherwise null. */
export function safeHref(href) {
  if (typeof href !== 'string' || href.length > 2048) return null;
  let url;
  try {
    url = new URL(href.trim());
  } catch {
    return null;
  }
  return LINK_SCHEMES.has(url.protocol) ? url.href : null;
}

const block = (tag) => ({ content: 'inline*', group: 'block', parseDOM: [{ tag }], toDOM: () => [tag, 0] });

export const schema = new Schema({
  nodes: {
    doc: { content: 'block+' },
    paragraph: block('p'),
    heading: {
      attrs: { level: { default: 1 } },
      content: 'inline*',
      group: 'block',
      defining: true,
      // Shown as h3 and h4 under the page's h1 and the card's h2, so copying within the notes
      // keeps the level; from another page h1 to h3 become the first level, h4 to h6 the second.
      parseDOM: [1, 2, 3, 4, 5, 6].map((n) => ({ tag: `h${n}`, attrs: { level: n <= 3 ? 1 : 2 } })),
      toDOM: (node) => [`h${node.attrs.level === 2 ? 4 : 3}`, 0],
    },
    blockquote: { content: 'block+', group: 'block', defining: true, parseDOM: [{ tag: 'blockquote' }], toDOM: () => ['blockquote', 0] },
    code_block: {
      content: 'text*',
      marks: '',
      group: 'block',
      code: true,
      defining: true,
      parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
      toDOM: () => ['pre', ['code', 0]],
    },
    horizontal_rule: { group: 'block', parseDOM: [{ tag: 'hr' }], toDOM: () => ['hr'] },
    bullet_list: { content: 'list_item+', group: 'block', parseDOM: [{ tag: 'ul' }], toDOM: () => ['ul', 0] },
    ordered_list: {
      attrs: { order: { default: 1 } },
      content: 'list_item+',
      group: 'block',
      parseDOM: [{ tag: 'ol', getAttrs: (dom) => ({ order: dom.hasAttribute('start') ? +dom.getAttribute('start') || 1 : 1 }) }],
      toDOM: (node) => ['ol', node.attrs.order === 1 ? {} : { start: node.attrs.order }, 0],
    },
    list_item: { content: 'paragraph block*', defining: true, parseDOM: [{ tag: 'li' }], toDOM: () => ['li', 0] },
    task_list: {
      content: 'task_item+',
      group: 'block',
      parseDOM: [{ tag: 'ul[data-task-list]', priority: 60 }],
      toDOM: () => ['ul', { 'data-task-list': '', class: 'task-list' }, 0],
    },
    task_item: {
      attrs: { checked: { default: false } },
      content: 'paragraph block*',
      defining: true,
      parseDOM: [{ tag: 'li[data-task]', priority: 60, getAttrs: (dom) => ({ checked: dom.getAttribute('data-task') === 'done' }) }],
      toDOM: (node) => ['li', { 'data-task': node.attrs.checked ? 'done' : 'open' }, 0],
    },
    text: { group: 'inline' },
    hard_break: { inline: true, group: 'inline', selectable: false, parseDOM: [{ tag: 'br' }], toDOM: () => ['br'] },
  },
  marks: {
    strong: {
      parseDOM: [
        { tag: 'strong' },
        // Google Docs wraps a whole copied document in <b style="font-weight:normal">.
        { tag: 'b', getAttrs: (dom) => dom.style.fontWeight !== 'normal' && null },
        { style: 'font-weight', getAttrs: (value) => /^(bold(er)?|[6-9]\d\d)$/.test(value) && null },
      ],
      toDOM: () => ['strong', 0],
    },
    em: { parseDOM: [{ tag: 'em' }, { tag: 'i' }, { style: 'font-style=italic' }], toDOM: () => ['em', 0] },
    strike: { parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }], toDOM: () => ['s', 0] },
    code: { excludes: '_', parseDOM: [{ tag: 'code' }], toDOM: () => ['code', 0] },
    link: {
      attrs: { href: {} },
      inclusive: false,
      // An address not allowed makes the rule not match: the text stays, without the link.
      parseDOM: [{ tag: 'a[href]', getAttrs: (dom) => (safeHref(dom.getAttribute('href')) ? { href: safeHref(dom.getAttribute('href')) } : false) }],
      // Checked again here: another person's update reaches the view without parseDOM.
      toDOM: (mark) => {
        const href = safeHref(mark.attrs.href);
        return href ? ['a', { href, rel: 'noopener noreferrer nofollow', target: '_blank' }, 0] : ['span', 0];
      },
    },
  },
});

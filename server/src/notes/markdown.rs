//! The rich notes as Markdown.
//!
//! People write a session's notes as rich text, but the reference API's `/notes` body and
//! the Markdown export show them as text. The rich notes are a ProseMirror document that
//! `y-prosemirror` keeps in the Yjs XML fragment [`RICH_NAME`]: one XML element per node
//! (its attributes the node's), text as XML text whose formatting attributes are the marks.
//! This module reads that fragment back as CommonMark, with GFM's strikethrough and task
//! lists.
//!
//! What it writes is shown to others and exported, so text is escaped to read back as the
//! same text, links keep only web and mail addresses, and raw HTML is never written. The
//! document comes from clients: blocks nested deeper than 32 levels are read as paragraphs
//! by a loop (never by recursion), odd shapes are read for their text, and nothing here
//! panics.

use std::sync::Arc;

use yrs::types::array::ArrayIter;
use yrs::types::text::{Diff, YChange};
use yrs::types::Attrs;
use yrs::{
    Any, Array, ArrayRef, Doc, Number, Out, ReadTxn, Text, TextRef, Transact, Xml, XmlElementRef, XmlFragmentRef,
};

use crate::notes::RICH_NAME;

/// Deepest nesting of blocks written as such; what lies deeper is written as paragraphs.
const MAX_DEPTH: usize = 32;

/// The rich notes of `doc` as Markdown ("" when empty).
pub fn render_doc(doc: &Doc) -> String {
    let fragment = doc.get_or_insert_xml_fragment(RICH_NAME);
    let txn = doc.transact();
    render(&txn, &fragment)
}

/// The XML fragment's content as Markdown.
pub fn render<T: ReadTxn>(txn: &T, fragment: &XmlFragmentRef) -> String {
    let mut renderer = Renderer { txn, w: Writer::default() };
    renderer.blocks(AsRef::<ArrayRef>::as_ref(fragment), 0, false);
    renderer.w.finish()
}

/// A child of an element, as far as rendering cares.
enum Node {
    /// An element: a ProseMirror node, or something unknown.
    Element(XmlElementRef),
    /// A nested fragment: its children stand in its place.
    Fragment(ArrayRef),
    /// Formatted text.
    Text(TextRef),
    /// A bare string where a node was expected.
    Plain(Arc<str>),
}

impl Node {
    /// The node a stored value is; `None` for values that hold no text.
    fn from_out(value: Out) -> Option<Node> {
        match value {
            Out::YXmlElement(element) => Some(Node::Element(element)),
            Out::YXmlFragment(fragment) => Some(Node::Fragment(AsRef::<ArrayRef>::as_ref(&fragment).clone())),
            Out::YXmlText(text) => Some(Node::Text(AsRef::<TextRef>::as_ref(&text).clone())),
            Out::YText(text) => Some(Node::Text(text)),
            Out::Any(Any::String(text)) => Some(Node::Plain(text)),
            _ => None,
        }
    }

    /// Whether the node belongs inside a line of text rather than being a block.
    fn is_inline(&self) -> bool {
        match self {
            Node::Text(_) | Node::Plain(_) => true,
            Node::Element(element) => tag(element) == "hard_break",
            Node::Fragment(_) => false,
        }
    }
}

/// The children of an element or fragment, skipping values that are no node.
struct Children<'a, T: ReadTxn> {
    values: ArrayIter<&'a T, T>,
}

impl<'a, T: ReadTxn> Children<'a, T> {
    fn of(txn: &'a T, parent: &ArrayRef) -> Self {
        Children { values: parent.iter(txn) }
    }
}

impl<T: ReadTxn> Iterator for Children<'_, T> {
    type Item = Node;

    fn next(&mut self) -> Option<Node> {
        self.values.by_ref().find_map(Node::from_out)
    }
}

/// An element's children as a sequence.
fn branch(element: &XmlElementRef) -> &ArrayRef {
    element.as_ref()
}

/// An element's name ("" when it has none).
fn tag(element: &XmlElementRef) -> &str {
    element.try_tag().map_or("", |tag| tag)
}

/// The kinds of block the notes hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    Code,
    Quote,
    Bullet,
    Ordered,
    Task,
    Rule,
    /// Anything else: its children are written in its place.
    Other,
}

impl Kind {
    fn of(tag: &str) -> Kind {
        match tag {
            "paragraph" => Kind::Paragraph,
            "heading" => Kind::Heading,
            "code_block" => Kind::Code,
            "blockquote" => Kind::Quote,
            "bullet_list" => Kind::Bullet,
            "ordered_list" => Kind::Ordered,
            "task_list" => Kind::Task,
            "horizontal_rule" => Kind::Rule,
            _ => Kind::Other,
        }
    }

    /// Whether two lists in a row would read as one list unless their markers differ.
    fn same_list_family(self, next: Kind) -> bool {
        match self {
            Kind::Bullet | Kind::Task => matches!(next, Kind::Bullet | Kind::Task),
            Kind::Ordered => next == Kind::Ordered,
            _ => false,
        }
    }
}

/// An attribute as a number: numbers, and strings that hold one.
fn attr_number<T: ReadTxn>(txn: &T, element: &XmlElementRef, name: &str) -> Option<f64> {
    let number = match element.get_attribute(txn, name)? {
        Out::Any(Any::Number(Number::Int(value))) => value as f64,
        Out::Any(Any::Number(Number::Float(value))) => value,
        Out::Any(Any::String(text)) => text.trim().parse().ok()?,
        _ => return None,
    };
    number.is_finite().then_some(number)
}

/// An attribute as a flag: `true`, "true", or a number other than 0.
fn attr_flag<T: ReadTxn>(txn: &T, element: &XmlElementRef, name: &str) -> bool {
    match element.get_attribute(txn, name) {
        Some(Out::Any(Any::Bool(value))) => value,
        Some(Out::Any(Any::String(text))) => text.trim().eq_ignore_ascii_case("true"),
        Some(Out::Any(Any::Number(Number::Int(value)))) => value != 0,
        Some(Out::Any(Any::Number(Number::Float(value)))) => value != 0.0,
        _ => false,
    }
}

/// A code block's language, when it is a plain word an info string can hold.
fn attr_language<T: ReadTxn>(txn: &T, element: &XmlElementRef) -> Option<Arc<str>> {
    let Some(Out::Any(Any::String(language))) = element.get_attribute(txn, "language") else { return None };
    let plain = !language.is_empty()
        && language.len() <= 32
        && language.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '.' | '#'));
    plain.then_some(language)
}

/// What separates a block from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gap {
    /// A line break: the next list item.
    Line,
    /// A blank line.
    Blank,
    /// A line break, where a list follows a paragraph inside a list item (keeping the
    /// list tight); a blank line when the list's first line is empty, since an empty item
    /// cannot interrupt a paragraph.
    Interrupt,
}

/// The prefix of the lines of one container: its first line's and the others'.
struct Frame {
    first: String,
    rest: String,
    started: bool,
}

/// The Markdown written so far, and the prefixes of the containers open around the next line.
#[derive(Default)]
struct Writer {
    out: String,
    frames: Vec<Frame>,
    pending: Option<Gap>,
}

impl Writer {
    /// Separates the next block written from what was written before it.
    fn request(&mut self, gap: Gap) {
        self.pending = Some(gap);
    }

    /// Opens a container whose first line starts with `first` and the others with `rest`.
    fn push(&mut self, first: String, rest: String) {
        self.frames.push(Frame { first, rest, started: false });
    }

    /// Closes the innermost container.
    fn pop(&mut self) {
        self.frames.pop();
    }

    /// Whether the innermost container has written a line.
    fn started(&self) -> bool {
        self.frames.last().is_some_and(|frame| frame.started)
    }

    /// Whether the next line carries a list marker that has not been written yet.
    fn on_marker_line(&self) -> bool {
        self.frames.iter().any(|frame| !frame.started && frame.first != frame.rest)
    }

    /// Starts a line (after the gap requested, if any) with the containers' prefixes;
    /// `empty` when nothing will follow them.
    fn begin_line(&mut self, empty: bool) {
        let pending = self.pending.take();
        if !self.out.is_empty() {
            self.out.push('\n');
            let blank = match pending {
                Some(Gap::Blank) => true,
                Some(Gap::Interrupt) => empty,
                Some(Gap::Line) | None => false,
            };
            if blank {
                for frame in self.frames.iter().filter(|frame| frame.started) {
                    self.out.push_str(&frame.rest);
                }
                self.trim_end();
                self.out.push('\n');
            }
        }
        for frame in &mut self.frames {
            if frame.started {
                self.out.push_str(&frame.rest);
            } else {
                self.out.push_str(&frame.first);
                frame.started = true;
            }
        }
    }

    /// Drops the spaces that end the current line.
    fn trim_end(&mut self) {
        let len = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(len);
    }

    /// The Markdown, ending in one line break ("" when nothing was written).
    fn finish(mut self) -> String {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

/// The block written last in a container, which decides the gap before the next one.
#[derive(Clone, Copy)]
struct Last {
    kind: Kind,
    /// Whether it was a list written with the other marker.
    alternate: bool,
}

/// Walks the document and writes it.
struct Renderer<'a, T: ReadTxn> {
    txn: &'a T,
    w: Writer,
}

/// Where the inline walk continues: a node's children, or a text's formatted chunks.
enum Source<'a, T: ReadTxn> {
    Nodes(Children<'a, T>),
    Chunks(std::vec::IntoIter<Diff<YChange>>),
}

/// The next thing the inline walk reads.
enum Step {
    Node(Node),
    Chunk(Diff<YChange>),
}

impl<'a, T: ReadTxn> Renderer<'a, T> {
    /// Writes the children of `parent` as blocks; `in_item` when `parent` is a list item.
    fn blocks(&mut self, parent: &ArrayRef, depth: usize, in_item: bool) {
        if depth >= MAX_DEPTH {
            self.flatten(Children::of(self.txn, parent));
            return;
        }
        let mut last = None;
        let mut loose = Vec::new();
        for node in Children::of(self.txn, parent) {
            if node.is_inline() {
                loose.push(node);
            } else {
                self.loose_text(&mut loose, &mut last, in_item);
                self.block(node, depth, in_item, &mut last);
            }
        }
        self.loose_text(&mut loose, &mut last, in_item);
    }

    /// Writes text that stands among blocks (outside any paragraph) as one paragraph.
    fn loose_text(&mut self, loose: &mut Vec<Node>, last: &mut Option<Last>, in_item: bool) {
        if loose.is_empty() {
            return;
        }
        self.place(last, Kind::Paragraph, true, in_item, |r, _| r.textblock(loose.drain(..), None));
    }

    /// Writes one block (an element or a fragment) after the `last` one.
    fn block(&mut self, node: Node, depth: usize, in_item: bool, last: &mut Option<Last>) {
        if depth >= MAX_DEPTH {
            self.place(last, Kind::Other, true, in_item, |r, _| r.flatten([node]));
            return;
        }
        let element = match node {
            Node::Element(element) => element,
            Node::Fragment(children) => {
                self.place(last, Kind::Other, true, in_item, |r, _| r.blocks(&children, depth + 1, false));
                return;
            }
            inline => {
                self.place(last, Kind::Paragraph, true, in_item, |r, _| r.textblock([inline], None));
                return;
            }
        };
        let txn = self.txn;
        let children = || Children::of(txn, branch(&element));
        match Kind::of(tag(&element)) {
            Kind::Paragraph => self.place(last, Kind::Paragraph, true, in_item, |r, _| r.textblock(children(), None)),
            Kind::Heading => {
                let level = attr_number(txn, &element, "level").map_or(1, |level| level.clamp(1.0, 6.0) as usize);
                self.place(last, Kind::Heading, true, in_item, |r, _| r.textblock(children(), Some(level)));
            }
            Kind::Code => self.place(last, Kind::Code, true, in_item, |r, _| r.code_block(&element)),
            Kind::Quote => self.place(last, Kind::Quote, true, in_item, |r, _| r.quote(&element, depth)),
            Kind::Rule => self.place(last, Kind::Rule, true, in_item, |r, _| r.rule()),
            kind @ (Kind::Bullet | Kind::Task) => {
                self.place(last, kind, true, in_item, |r, alternate| r.list(&element, kind, 1, alternate, depth));
            }
            Kind::Ordered => {
                let start = attr_number(txn, &element, "order").map_or(1, |n| n.clamp(0.0, 99_999_999.0) as u64);
                self.place(last, Kind::Ordered, start == 1, in_item, |r, alternate| {
                    r.list(&element, Kind::Ordered, start, alternate, depth)
                });
            }
            Kind::Other => {
                self.place(last, Kind::Other, true, in_item, |r, _| r.blocks(branch(&element), depth + 1, false));
            }
        }
    }

    /// Writes a block of `kind` with `write` after the `last` one in its container, separated
    /// from it; `interrupts` when a list of this kind may follow a paragraph directly.
    fn place(
        &mut self,
        last: &mut Option<Last>,
        kind: Kind,
        interrupts: bool,
        in_item: bool,
        write: impl FnOnce(&mut Self, bool),
    ) {
        let alternate = match *last {
            Some(previous) if previous.kind.same_list_family(kind) => !previous.alternate,
            _ => false,
        };
        if let Some(previous) = *last {
            let tight = in_item
                && interrupts
                && matches!(previous.kind, Kind::Paragraph | Kind::Heading)
                && matches!(kind, Kind::Bullet | Kind::Ordered | Kind::Task);
            self.w.request(if tight { Gap::Interrupt } else { Gap::Blank });
        }
        let before = self.w.out.len();
        write(self, alternate);
        if self.w.out.len() != before {
            *last = Some(Last { kind, alternate });
        }
    }

    /// Writes a paragraph, or a heading of `level`, holding the text of `nodes`; nothing when
    /// it holds no text.
    fn textblock(&mut self, nodes: impl IntoIterator<Item = Node>, level: Option<usize>) {
        let mut lines = Lines { single: level.is_some(), lines: Vec::new() };
        self.collect(nodes, &mut lines);
        let lines = settle(lines.lines);
        if lines.is_empty() {
            return;
        }
        self.w.begin_line(false);
        if let Some(level) = level {
            self.w.out.push_str(&"#".repeat(level));
            self.w.out.push(' ');
        }
        for (index, line) in lines.iter().enumerate() {
            if index > 0 {
                self.w.out.push('\\');
                self.w.begin_line(false);
            }
            write_runs(&mut self.w.out, line);
        }
        if level.is_some() {
            escape_last(&mut self.w.out, '#');
        }
    }

    /// Writes a fenced code block, with a fence longer than any run of backticks inside.
    fn code_block(&mut self, element: &XmlElementRef) {
        let mut code = String::new();
        self.collect(Children::of(self.txn, branch(element)), &mut code);
        let code = code.replace("\r\n", "\n").replace('\r', "\n");
        let fence = "`".repeat(longest_run(&code, '`').max(2) + 1);
        self.w.begin_line(false);
        self.w.out.push_str(&fence);
        if let Some(language) = attr_language(self.txn, element) {
            self.w.out.push_str(&language);
        }
        if !code.is_empty() {
            for line in code.strip_suffix('\n').unwrap_or(&code).split('\n') {
                self.w.begin_line(line.is_empty());
                if line.is_empty() {
                    self.w.trim_end();
                } else {
                    self.w.out.push_str(line);
                }
            }
        }
        self.w.begin_line(false);
        self.w.out.push_str(&fence);
    }

    /// Writes a block quote: its blocks, each line after `> `.
    fn quote(&mut self, element: &XmlElementRef, depth: usize) {
        self.w.push("> ".to_string(), "> ".to_string());
        self.blocks(branch(element), depth + 1, false);
        self.w.pop();
    }

    /// Writes a horizontal rule (`___` on a list marker's line, where `- ---` would be one).
    fn rule(&mut self) {
        let rule = if self.w.on_marker_line() { "___" } else { "---" };
        self.w.begin_line(false);
        self.w.out.push_str(rule);
    }

    /// Writes a list of `kind`, numbered from `start` when ordered; `alternate` switches to
    /// the other marker (`*`, `)`) so that it does not join the list before it.
    fn list(&mut self, list: &XmlElementRef, kind: Kind, start: u64, alternate: bool, depth: usize) {
        let bullet = if alternate { '*' } else { '-' };
        let mut number = start;
        let mut written = false;
        for node in Children::of(self.txn, branch(list)) {
            let marker = match kind {
                Kind::Ordered => format!("{number}{} ", if alternate { ')' } else { '.' }),
                Kind::Task => {
                    let checked = matches!(&node, Node::Element(item) if attr_flag(self.txn, item, "checked"));
                    format!("{bullet} [{}] ", if checked { 'x' } else { ' ' })
                }
                _ => format!("{bullet} "),
            };
            let indent = if kind == Kind::Task { 2 } else { marker.len() };
            if written {
                self.w.request(Gap::Line);
            }
            self.w.push(marker, " ".repeat(indent));
            self.item(node, depth + 1);
            if !self.w.started() {
                self.w.begin_line(true);
                self.w.trim_end();
            }
            self.w.pop();
            written = true;
            number = number.saturating_add(1);
        }
    }

    /// Writes the content of one list item (an item element, or anything else as one block).
    fn item(&mut self, node: Node, depth: usize) {
        match node {
            Node::Element(item) if matches!(tag(&item), "list_item" | "task_item") => {
                self.blocks(branch(&item), depth, true);
            }
            Node::Fragment(children) => self.blocks(&children, depth, true),
            other => self.block(other, depth, true, &mut None),
        }
    }

    /// Writes everything under `nodes` as paragraphs, one per text block or loose text,
    /// walking with a stack of its own (never recursion): the shape past the depth limit.
    fn flatten(&mut self, nodes: impl IntoIterator<Item = Node>) {
        let mut written = false;
        let mut stack: Vec<Children<'a, T>> = Vec::new();
        for node in nodes {
            let mut next = Some(node);
            loop {
                let node = match next.take() {
                    Some(node) => node,
                    None => match stack.last_mut() {
                        None => break,
                        Some(children) => match children.next() {
                            Some(node) => node,
                            None => {
                                stack.pop();
                                continue;
                            }
                        },
                    },
                };
                match node {
                    Node::Element(element)
                        if matches!(Kind::of(tag(&element)), Kind::Paragraph | Kind::Heading | Kind::Code) =>
                    {
                        let children = Children::of(self.txn, branch(&element));
                        self.flat_paragraph(children, &mut written);
                    }
                    Node::Element(element) => stack.push(Children::of(self.txn, branch(&element))),
                    Node::Fragment(children) => stack.push(Children::of(self.txn, &children)),
                    text => self.flat_paragraph([text], &mut written),
                }
            }
        }
    }

    /// One paragraph of [`Renderer::flatten`].
    fn flat_paragraph(&mut self, nodes: impl IntoIterator<Item = Node>, written: &mut bool) {
        if *written {
            self.w.request(Gap::Blank);
        }
        let before = self.w.out.len();
        self.textblock(nodes, None);
        *written |= self.w.out.len() != before;
    }

    /// Reads the text under `nodes` into `sink`, in order, walking with a stack of its own.
    fn collect(&self, nodes: impl IntoIterator<Item = Node>, sink: &mut impl Sink) {
        let mut stack: Vec<Source<'a, T>> = Vec::new();
        for node in nodes {
            self.visit(node, &mut stack, sink);
            loop {
                let step = match stack.last_mut() {
                    None => break,
                    Some(Source::Nodes(children)) => children.next().map(Step::Node),
                    Some(Source::Chunks(chunks)) => chunks.next().map(Step::Chunk),
                };
                match step {
                    None => {
                        stack.pop();
                    }
                    Some(Step::Node(node)) => self.visit(node, &mut stack, sink),
                    Some(Step::Chunk(chunk)) => match chunk.insert {
                        Out::Any(Any::String(text)) => sink.text(&text, marks_of(chunk.attributes.as_deref())),
                        embedded => {
                            if let Some(node) = Node::from_out(embedded) {
                                self.visit(node, &mut stack, sink);
                            }
                        }
                    },
                }
            }
        }
    }

    /// One node of [`Renderer::collect`]: its text now, or its content onto the stack.
    fn visit(&self, node: Node, stack: &mut Vec<Source<'a, T>>, sink: &mut impl Sink) {
        match node {
            Node::Text(text) => stack.push(Source::Chunks(text.diff(self.txn, YChange::identity).into_iter())),
            Node::Plain(text) => sink.text(&text, Marks::default()),
            Node::Element(element) => {
                if tag(&element) == "hard_break" {
                    sink.hard_break();
                }
                stack.push(Source::Nodes(Children::of(self.txn, branch(&element))));
            }
            Node::Fragment(children) => stack.push(Source::Nodes(Children::of(self.txn, &children))),
        }
    }
}

/// Where the inline walk puts what it reads.
trait Sink {
    fn text(&mut self, text: &str, marks: Marks);
    fn hard_break(&mut self);
}

/// A code block's text: marks dropped, hard breaks as line breaks.
impl Sink for String {
    fn text(&mut self, text: &str, _marks: Marks) {
        self.push_str(text);
    }

    fn hard_break(&mut self) {
        self.push('\n');
    }
}

/// The marks of a run of text that Markdown can show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Marks {
    /// The link's destination, ready to write (only for allowed addresses).
    link: Option<String>,
    strong: bool,
    em: bool,
    strike: bool,
    code: bool,
}

impl Marks {
    /// Whether whitespace at the run's edges may stand outside its marks: always, but in
    /// code that no delimiter surrounds (where it is part of the code span).
    fn spaces_movable(&self) -> bool {
        !self.code || self.link.is_some() || self.strong || self.em || self.strike
    }
}

/// The marks in a text chunk's formatting attributes; unknown ones are dropped.
fn marks_of(attrs: Option<&Attrs>) -> Marks {
    let mut marks = Marks::default();
    for (key, value) in attrs.into_iter().flatten() {
        if matches!(value, Any::Null | Any::Undefined | Any::Bool(false)) {
            continue;
        }
        match mark_name(key) {
            "strong" => marks.strong = true,
            "em" => marks.em = true,
            "strike" => marks.strike = true,
            "code" => marks.code = true,
            // Two links on one run (only a hostile document): the same one whichever order.
            "link" => marks.link = marks.link.take().max(link_target(value)),
            _ => {}
        }
    }
    marks
}

/// A mark's name without the `--XXXXXXXX` suffix `y-prosemirror` gives marks that overlap.
fn mark_name(key: &str) -> &str {
    let bytes = key.as_bytes();
    if bytes.len() > 10 {
        let (name, suffix) = bytes.split_at(bytes.len() - 10);
        let hashed = suffix.starts_with(b"--")
            && suffix[2..].iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if hashed {
            // The suffix is ASCII, so the name ends on a character boundary.
            return key.get(..name.len()).unwrap_or(key);
        }
    }
    key
}

/// A link mark's destination, when its `href` is allowed.
fn link_target(value: &Any) -> Option<String> {
    let Any::Map(attrs) = value else { return None };
    let Some(Any::String(href)) = attrs.get("href") else { return None };
    safe_href(href)
}

/// `href` as a Markdown link destination, when it is a web or mail address or has no scheme
/// (relative); `None` for any other scheme (`javascript:`, `data:`…). Control characters go
/// first (a browser drops tabs and line breaks inside an address), so what is checked is
/// exactly what is written.
fn safe_href(href: &str) -> Option<String> {
    let cleaned: String = href.chars().filter(|c| !c.is_control()).collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        return None;
    }
    let head = cleaned.find(['/', '?', '#']).map_or(cleaned, |end| &cleaned[..end]);
    if let Some(colon) = head.find(':') {
        let scheme = &head[..colon];
        if !["http", "https", "mailto"].iter().any(|allowed| scheme.eq_ignore_ascii_case(allowed)) {
            return None;
        }
    }
    let mut destination = String::with_capacity(cleaned.len());
    let chars: Vec<char> = cleaned.chars().collect();
    for (index, &c) in chars.iter().enumerate() {
        match c {
            ' ' => destination.push_str("%20"),
            '<' => destination.push_str("%3C"),
            '>' => destination.push_str("%3E"),
            '(' | ')' | '\\' => {
                destination.push('\\');
                destination.push(c);
            }
            '&' if starts_entity(&chars[index + 1..]) => destination.push_str("\\&"),
            _ => destination.push(c),
        }
    }
    Some(destination)
}

/// A stretch of text with the same marks.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Run {
    text: String,
    marks: Marks,
}

/// A text block's text as lines (split at hard breaks) of runs.
struct Lines {
    /// Hard breaks become spaces (a heading is one line).
    single: bool,
    lines: Vec<Vec<Run>>,
}

impl Sink for Lines {
    fn text(&mut self, text: &str, marks: Marks) {
        if text.is_empty() {
            return;
        }
        let text = text.replace(['\n', '\r'], " ");
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let Some(line) = self.lines.last_mut() else { return };
        match line.last_mut() {
            Some(run) if run.marks == marks => run.text.push_str(&text),
            _ => line.push(Run { text, marks }),
        }
    }

    fn hard_break(&mut self) {
        if self.single {
            self.text(" ", Marks::default());
        } else {
            if self.lines.is_empty() {
                self.lines.push(Vec::new());
            }
            self.lines.push(Vec::new());
        }
    }
}

/// Lines made ready to write: spaces and tabs at their ends dropped (Markdown would drop
/// them, or read four as code), blank lines at the start and end dropped.
fn settle(lines: Vec<Vec<Run>>) -> Vec<Vec<Run>> {
    let mut settled: Vec<Vec<Run>> = lines.into_iter().map(|line| join(trim_line(line))).collect();
    while settled.last().is_some_and(Vec::is_empty) {
        settled.pop();
    }
    let first = settled.iter().position(|line| !line.is_empty()).unwrap_or(settled.len());
    settled.drain(..first);
    settled
}

/// Drops the spaces and tabs that start and end a line (not those inside a code span).
fn trim_line(mut line: Vec<Run>) -> Vec<Run> {
    let mut start = 0;
    while let Some(run) = line.get_mut(start) {
        if !run.marks.spaces_movable() {
            break;
        }
        run.text = run.text.trim_start_matches([' ', '\t']).to_string();
        if !run.text.is_empty() {
            break;
        }
        start += 1;
    }
    line.drain(..start);
    while let Some(run) = line.last_mut() {
        if !run.marks.spaces_movable() {
            break;
        }
        run.text.truncate(run.text.trim_end_matches([' ', '\t']).len());
        if !run.text.is_empty() {
            break;
        }
        line.pop();
    }
    line
}

/// Joins neighbouring runs with the same marks.
fn join(line: Vec<Run>) -> Vec<Run> {
    let mut joined: Vec<Run> = Vec::with_capacity(line.len());
    for run in line {
        match joined.last_mut() {
            Some(previous) if previous.marks == run.marks => previous.text.push_str(&run.text),
            _ => joined.push(run),
        }
    }
    joined
}

/// The marks written with delimiters around text, outermost first (code, always innermost,
/// is written whole with each run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wrap {
    Link,
    Strong,
    Em,
    Strike,
}

const WRAPS: [Wrap; 4] = [Wrap::Link, Wrap::Strong, Wrap::Em, Wrap::Strike];

impl Wrap {
    /// Whether `marks` has this mark (a link: the one open, `open_link`, when one is).
    fn in_marks(self, marks: &Marks, open_link: Option<&str>) -> bool {
        match self {
            Wrap::Link => marks.link.is_some() && (open_link.is_none() || marks.link.as_deref() == open_link),
            Wrap::Strong => marks.strong,
            Wrap::Em => marks.em,
            Wrap::Strike => marks.strike,
        }
    }

    /// The delimiter that opens (and closes) this mark: `_` rather than `*` right after a
    /// `*` that closed a mark, where the two would read as one run of delimiters.
    fn delimiter(self, after_star: bool) -> &'static str {
        match self {
            Wrap::Link => "[",
            Wrap::Strong if after_star => "__",
            Wrap::Strong => "**",
            Wrap::Em if after_star => "_",
            Wrap::Em => "*",
            Wrap::Strike => "~~",
        }
    }
}

/// Writes one line of runs: marks still going on stay open, the others close (innermost
/// first) and new ones open in [`WRAPS`] order. Whitespace at a run's edges goes outside
/// the delimiters that open or close there (`** x**` is not bold), and a run of only
/// whitespace changes no marks.
fn write_runs(out: &mut String, runs: &[Run]) {
    // The marks open, each with its delimiter.
    let mut open: Vec<(Wrap, &str)> = Vec::new();
    let mut link: Option<&str> = None;
    let mut at_line_start = true;
    let line_start = out.len();
    // Whitespace after the text written last, written once it is known what closes first.
    let mut spaces = String::new();
    for run in runs {
        let (lead, body, trail) =
            if run.marks.spaces_movable() { split_spaces(&run.text) } else { ("", run.text.as_str(), "") };
        if body.is_empty() {
            spaces.push_str(lead);
            continue;
        }
        let keep = open.iter().take_while(|(wrap, _)| wrap.in_marks(&run.marks, link)).count();
        let before_close = out.len();
        close(out, &mut open, keep, link);
        let mut after_star = out.len() > before_close && out.ends_with('*') && spaces.is_empty() && lead.is_empty();
        spaces.push_str(lead);
        // Spaces that would start the line are dropped (four would make it code).
        let leading = if out.len() == line_start { spaces.trim_start_matches([' ', '\t']) } else { &spaces };
        out.push_str(leading);
        for wrap in WRAPS {
            if wrap.in_marks(&run.marks, None) && !open.iter().any(|(open, _)| *open == wrap) {
                if wrap == Wrap::Link {
                    escape_last(out, '!');
                    link = run.marks.link.as_deref();
                }
                let delimiter = wrap.delimiter(after_star);
                after_star = false;
                out.push_str(delimiter);
                open.push((wrap, delimiter));
            }
        }
        if run.marks.code {
            push_code(out, body);
            at_line_start = false;
        } else {
            push_escaped(out, body, &mut at_line_start);
        }
        spaces.clear();
        spaces.push_str(trail);
    }
    close(out, &mut open, 0, link);
}

/// `text` as its leading whitespace, the rest up to its trailing whitespace, and that.
fn split_spaces(text: &str) -> (&str, &str, &str) {
    let rest = text.trim_start_matches(char::is_whitespace);
    let body = rest.trim_end_matches(char::is_whitespace);
    (&text[..text.len() - rest.len()], body, &rest[body.len()..])
}

/// Closes the open marks past the first `keep`, innermost first.
fn close(out: &mut String, open: &mut Vec<(Wrap, &str)>, keep: usize, link: Option<&str>) {
    while open.len() > keep {
        match open.pop() {
            Some((Wrap::Link, _)) => {
                out.push_str("](");
                out.push_str(link.unwrap_or_default());
                out.push(')');
            }
            Some((_, delimiter)) => out.push_str(delimiter),
            None => break,
        }
    }
}

/// Writes a code span, its fence longer than any run of backticks inside, padded with
/// spaces where Markdown would otherwise eat its edges.
fn push_code(out: &mut String, code: &str) {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    let pad = code.starts_with('`')
        || code.ends_with('`')
        || (code.starts_with(' ') && code.ends_with(' ') && code.chars().any(|c| c != ' '));
    out.push_str(&fence);
    if pad {
        out.push(' ');
    }
    out.push_str(code);
    if pad {
        out.push(' ');
    }
    out.push_str(&fence);
}

/// The length of the longest run of `c` in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut current) = (0, 0);
    for next in text.chars() {
        current = if next == c { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// A line of plain text (an action's words, a goal's title) as Markdown that reads back as
/// the same text, its line breaks as spaces: for a list item or heading of the export.
pub fn inline_text(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(line.len());
    push_escaped(&mut out, &line, &mut true);
    out
}

/// Writes text so that Markdown reads it back as the same text: the characters that could
/// start markup are escaped, the others left readable. `at_line_start` is whether no text
/// has been written on the line yet (where `#`, `-`, `1.`, `>`… would start a block).
fn push_escaped(out: &mut String, text: &str, at_line_start: &mut bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut from = 0;
    if *at_line_start && !chars.is_empty() {
        *at_line_start = false;
        from = escape_line_start(out, &chars);
    }
    for index in from..chars.len() {
        let c = chars[index];
        let previous = index.checked_sub(1).map(|i| chars[i]);
        let next = chars.get(index + 1).copied();
        let escape = match c {
            '\\' | '*' | '[' | ']' | '`' | '<' | '~' | '|' => true,
            // Inside a word `_` is no emphasis.
            '_' => !(previous.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric)),
            // `&amp;`, `&#38;`: entities.
            '&' => starts_entity(&chars[index + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the text after a `&` would make it an entity (`amp;`, `#38;`, `#x26;`).
fn starts_entity(after: &[char]) -> bool {
    let name = after.iter().take(32).take_while(|c| c.is_ascii_alphanumeric() || **c == '#').count();
    name > 0 && after.get(name) == Some(&';')
}

/// Writes the start of a line's text, escaping what would start a block there (a heading,
/// list item, quote, rule or setext underline); returns how many characters it wrote.
fn escape_line_start(out: &mut String, chars: &[char]) -> usize {
    let Some(&first) = chars.first() else { return 0 };
    let second = chars.get(1).copied();
    let ends_or_space = |repeats: bool| second.is_none_or(|c| c == ' ' || c == '\t' || (repeats && c == first));
    let escape = match first {
        '>' => true,
        '#' | '-' | '=' => ends_or_space(true),
        '+' => ends_or_space(false),
        '0'..='9' => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            let delimiter = chars.get(digits).copied();
            let after = chars.get(digits + 1).copied();
            if digits <= 9 && matches!(delimiter, Some('.' | ')')) && after.is_none_or(|c| c == ' ' || c == '\t') {
                out.extend(&chars[..digits]);
                out.push('\\');
                out.extend(delimiter);
                return digits + 1;
            }
            false
        }
        _ => false,
    };
    if !escape {
        return 0;
    }
    out.push('\\');
    out.push(first);
    1
}

/// Escapes the `c` that ends `out`, unless it is escaped already: a `#` ending a heading
/// (which Markdown would read as a closing sequence), a `!` before a link (an image).
fn escape_last(out: &mut String, c: char) {
    let Some(before) = out.strip_suffix(c) else { return };
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    if backslashes % 2 == 0 {
        out.insert(before.len(), '\\');
    }
}

#[cfg(test)]
mod tests;

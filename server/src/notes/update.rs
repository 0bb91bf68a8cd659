//! Reading a notes update before the merge engine does [extension].
//!
//! `yrs` decodes an update recursively: a value nested 20,000 levels deep overflowed the
//! server's stack, which aborts the whole process (no `catch_unwind` can catch that). So
//! every update a client sends is first read here, by a parser that keeps its own stack and
//! refuses values nested deeper than [`MAX_VALUE_DEPTH`], and summarised: which parts of the
//! document it writes and with what. [`Layout`] then says whether that is what the page
//! shows; only then does the update reach `yrs`.
//!
//! The format is Yjs' update encoding v1 (lib0 variable-length integers and strings), read
//! in full: the structs of each client, then the delete set. Trailing bytes are refused.

use std::collections::BTreeSet;
use std::fmt;

/// Deepest nesting of values (arrays and objects inside `Any` content) an update may hold.
pub const MAX_VALUE_DEPTH: usize = 32;

/// Why an update was refused before the merge engine saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateError {
    /// It ends in the middle of something.
    Truncated,
    /// Bytes follow its end.
    TrailingBytes,
    /// A number does not fit 64 bits.
    Overflow,
    /// A string is not UTF-8.
    NotUtf8,
    /// A tag the format does not have.
    UnknownTag(&'static str, u64),
    /// Values nested deeper than [`MAX_VALUE_DEPTH`].
    TooDeep,
    /// It writes a part of the document the page does not show.
    OutsideLayout(String),
}

impl fmt::Display for UpdateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => f.write_str("it ends too early"),
            Self::TrailingBytes => f.write_str("bytes follow its end"),
            Self::Overflow => f.write_str("a number in it is too large"),
            Self::NotUtf8 => f.write_str("a text in it is not UTF-8"),
            Self::UnknownTag(what, tag) => write!(f, "unknown {what} {tag}"),
            Self::TooDeep => write!(f, "values nest deeper than {MAX_VALUE_DEPTH} levels"),
            Self::OutsideLayout(what) => write!(f, "it writes {what}, which the notes do not hold"),
        }
    }
}

impl std::error::Error for UpdateError {}

/// What an item of the update holds (Yjs' content kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ContentKind {
    Deleted,
    Json,
    Binary,
    String,
    Embed,
    Format,
    Type,
    Any,
    Doc,
}

/// Where an item says it belongs, when it says so (an item placed next to another belongs
/// where that one does, and says nothing).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Parent {
    /// A top-level part of the document, by name.
    Root(String),
    /// A type nested in an item of the document.
    Nested,
}

/// What an update writes, read without merging it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateSummary {
    /// Every parent the update's items name.
    pub parents: BTreeSet<Parent>,
    /// Every kind of content its items hold.
    pub contents: BTreeSet<ContentKind>,
    /// Whether an item sets a key of a map (a `parentSub`).
    pub keyed: bool,
    /// Items in the update.
    pub items: u64,
}

/// Which parts of the document the page shows: the only ones a client may write.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    /// Top-level parts by name.
    pub roots: &'static [&'static str],
    /// Kinds of content allowed in them.
    pub contents: &'static [ContentKind],
    /// Whether nested types, keyed entries and values may appear (rich content).
    pub nested: bool,
}

/// The plain notes: one text, [`crate::notes::crdt::TEXT_NAME`], of characters only.
pub const PLAIN_NOTES: Layout =
    Layout { roots: &["notes"], contents: &[ContentKind::Deleted, ContentKind::String], nested: false };

/// The rich notes: one XML fragment, [`crate::notes::crdt::RICH_NAME`], of elements (with
/// attributes), texts, characters and their formatting, as `y-prosemirror` writes them.
pub const RICH_NOTES: Layout = Layout {
    roots: &["notes_rich"],
    contents: &[ContentKind::Deleted, ContentKind::String, ContentKind::Format, ContentKind::Type, ContentKind::Any],
    nested: true,
};

impl Layout {
    /// Refuses an update that writes anything this layout does not hold.
    pub fn check(&self, summary: &UpdateSummary) -> Result<(), UpdateError> {
        for parent in &summary.parents {
            match parent {
                Parent::Root(name) if self.roots.contains(&name.as_str()) => {}
                Parent::Root(name) => return Err(UpdateError::OutsideLayout(format!("a part named {name:?}"))),
                Parent::Nested if self.nested => {}
                Parent::Nested => return Err(UpdateError::OutsideLayout("a nested type".into())),
            }
        }
        if summary.keyed && !self.nested {
            return Err(UpdateError::OutsideLayout("a keyed entry".into()));
        }
        if let Some(kind) = summary.contents.iter().find(|kind| !self.contents.contains(kind)) {
            return Err(UpdateError::OutsideLayout(format!("{kind:?} content")));
        }
        Ok(())
    }
}

/// Reads `update` whole (Yjs update v1) and says what it writes; refuses what is not a
/// well-formed update, or nests values deeper than [`MAX_VALUE_DEPTH`]. Its time and memory
/// are linear in the update's length, whatever its shape.
pub fn read(update: &[u8]) -> Result<UpdateSummary, UpdateError> {
    let mut reader = Reader { bytes: update, at: 0 };
    let mut summary = UpdateSummary::default();
    let clients = reader.var_uint()?;
    for _ in 0..clients {
        let structs = reader.var_uint()?;
        let _client = reader.var_uint()?;
        let _clock = reader.var_uint()?;
        for _ in 0..structs {
            read_struct(&mut reader, &mut summary)?;
        }
    }
    read_delete_set(&mut reader)?;
    if reader.at != update.len() {
        return Err(UpdateError::TrailingBytes);
    }
    Ok(summary)
}

/// Reads an update and checks it against `layout`.
pub fn check(update: &[u8], layout: &Layout) -> Result<UpdateSummary, UpdateError> {
    let summary = read(update)?;
    layout.check(&summary)?;
    Ok(summary)
}

const INFO_CONTENT: u8 = 0x1f;
const INFO_ORIGIN: u8 = 0x80;
const INFO_RIGHT_ORIGIN: u8 = 0x40;
const INFO_PARENT_SUB: u8 = 0x20;

fn read_struct(reader: &mut Reader<'_>, summary: &mut UpdateSummary) -> Result<(), UpdateError> {
    let info = reader.byte()?;
    match info & INFO_CONTENT {
        // GC and Skip: a length of clock units.
        0 | 10 => {
            reader.var_uint()?;
            return Ok(());
        }
        _ => {}
    }
    summary.items += 1;
    if info & INFO_ORIGIN != 0 {
        reader.id()?;
    }
    if info & INFO_RIGHT_ORIGIN != 0 {
        reader.id()?;
    }
    // Without neighbours the item names its parent (and maybe a key in it).
    if info & (INFO_ORIGIN | INFO_RIGHT_ORIGIN) == 0 {
        let parent = match reader.var_uint()? {
            1 => Parent::Root(reader.string()?.to_owned()),
            0 => {
                reader.id()?;
                Parent::Nested
            }
            other => return Err(UpdateError::UnknownTag("parent kind", other)),
        };
        summary.parents.insert(parent);
        if info & INFO_PARENT_SUB != 0 {
            reader.string()?;
            summary.keyed = true;
        }
    }
    let kind = read_content(reader, info & INFO_CONTENT)?;
    summary.contents.insert(kind);
    Ok(())
}

fn read_content(reader: &mut Reader<'_>, tag: u8) -> Result<ContentKind, UpdateError> {
    Ok(match tag {
        1 => {
            reader.var_uint()?;
            ContentKind::Deleted
        }
        2 => {
            for _ in 0..reader.var_uint()? {
                reader.string()?;
            }
            ContentKind::Json
        }
        3 => {
            reader.buffer()?;
            ContentKind::Binary
        }
        4 => {
            reader.string()?;
            ContentKind::String
        }
        5 => {
            reader.string()?;
            ContentKind::Embed
        }
        6 => {
            reader.string()?;
            reader.string()?;
            ContentKind::Format
        }
        7 => {
            match reader.var_uint()? {
                // XmlElement and XmlHook carry a name.
                3 | 5 => {
                    reader.string()?;
                }
                0..=6 => {}
                other => return Err(UpdateError::UnknownTag("type", other)),
            }
            ContentKind::Type
        }
        8 => {
            for _ in 0..reader.var_uint()? {
                read_value(reader)?;
            }
            ContentKind::Any
        }
        9 => {
            reader.string()?;
            read_value(reader)?;
            ContentKind::Doc
        }
        other => return Err(UpdateError::UnknownTag("content", u64::from(other))),
    })
}

/// Reads one `Any` value with an explicit stack: each level is the count of values still
/// to read in an array or object there (an object's entries each start with their key).
fn read_value(reader: &mut Reader<'_>) -> Result<(), UpdateError> {
    // (values left, whether keys precede them)
    let mut open: Vec<(u64, bool)> = Vec::new();
    let mut pending = 1u64;
    let mut keyed = false;
    loop {
        while pending == 0 {
            match open.pop() {
                Some((left, is_object)) => {
                    pending = left;
                    keyed = is_object;
                }
                None => return Ok(()),
            }
        }
        pending -= 1;
        if keyed {
            reader.string()?;
        }
        let nested = match reader.byte()? {
            // undefined, null, false, true
            127 | 126 | 121 | 120 => None,
            125 => {
                reader.var_int()?;
                None
            }
            124 => {
                reader.take(4)?;
                None
            }
            123 | 122 => {
                reader.take(8)?;
                None
            }
            119 => {
                reader.string()?;
                None
            }
            118 => Some((reader.var_uint()?, true)),
            117 => Some((reader.var_uint()?, false)),
            116 => {
                reader.buffer()?;
                None
            }
            other => return Err(UpdateError::UnknownTag("value", u64::from(other))),
        };
        if let Some((count, is_object)) = nested {
            if open.len() + 1 > MAX_VALUE_DEPTH {
                return Err(UpdateError::TooDeep);
            }
            open.push((pending, keyed));
            pending = count;
            keyed = is_object;
        }
    }
}

fn read_delete_set(reader: &mut Reader<'_>) -> Result<(), UpdateError> {
    for _ in 0..reader.var_uint()? {
        let _client = reader.var_uint()?;
        for _ in 0..reader.var_uint()? {
            let _clock = reader.var_uint()?;
            let _length = reader.var_uint()?;
        }
    }
    Ok(())
}

/// lib0's decoding of the bytes. Every count read from the input is only ever used to loop
/// over further input, never to allocate: a count larger than what follows ends in
/// [`UpdateError::Truncated`] after reading what there is.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, UpdateError> {
        let byte = *self.bytes.get(self.at).ok_or(UpdateError::Truncated)?;
        self.at += 1;
        Ok(byte)
    }

    fn take(&mut self, length: u64) -> Result<&'a [u8], UpdateError> {
        let length = usize::try_from(length).map_err(|_| UpdateError::Truncated)?;
        let end = self.at.checked_add(length).filter(|end| *end <= self.bytes.len()).ok_or(UpdateError::Truncated)?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// Seven bits per byte, least significant first; the high bit says more follow.
    fn var_uint(&mut self) -> Result<u64, UpdateError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            let bits = u64::from(byte & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(UpdateError::Overflow);
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(UpdateError::Overflow)
    }

    /// lib0's signed integer: the first byte holds a sign bit and six bits.
    fn var_int(&mut self) -> Result<(), UpdateError> {
        let first = self.byte()?;
        if first & 0x80 == 0 {
            return Ok(());
        }
        for _ in 0..9 {
            if self.byte()? & 0x80 == 0 {
                return Ok(());
            }
        }
        Err(UpdateError::Overflow)
    }

    fn id(&mut self) -> Result<(), UpdateError> {
        self.var_uint()?;
        self.var_uint()?;
        Ok(())
    }

    fn buffer(&mut self) -> Result<&'a [u8], UpdateError> {
        let length = self.var_uint()?;
        self.take(length)
    }

    fn string(&mut self) -> Result<&'a str, UpdateError> {
        std::str::from_utf8(self.buffer()?).map_err(|_| UpdateError::NotUtf8)
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests;

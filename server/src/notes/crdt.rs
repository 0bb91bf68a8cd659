//! The notes of a coaching session as a shared document [extension].
//!
//! Both people type into one Yjs document (`yrs`, the Rust implementation kept by the Yjs
//! authors): every edit becomes an update that merges with any other in any order, so both
//! end with the same text holding everything both typed. The document holds one text,
//! [`TEXT_NAME`], counted in UTF-16 units so that offsets match a browser's selection.
//!
//! Updates and state vectors travel as base64 in JSON (see `tandem_protocol::note_document`).
//! This module is the server's knowledge of the document's layout; the web app keeps the
//! same layout with Yjs itself (`assets/notes-engine/engine.js`, which also holds the caret
//! rule and the merging of bursts, the server needing neither).

use std::fmt;

use base64::Engine;
use yrs::updates::decoder::Decode;

use crate::notes::update::UpdateError;
use yrs::{
    Doc, GetString, OffsetKind, Options, ReadTxn, StateVector, Text, TextRef, Transact, Update, XmlElementPrelim,
    XmlFragment, XmlFragmentRef, XmlTextPrelim,
};

pub use super::{RICH_NAME, TEXT_NAME};

/// Largest document the server keeps, encoded (a long session's notes are a few tens of KB).
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Why an update, a state vector or a stored document could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocError {
    /// Not base64.
    NotBase64,
    /// Not a Yjs update or state vector.
    Malformed(String),
    /// The update builds on changes the document does not have.
    MissingDependencies,
    /// The document would pass [`MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// Not well formed, nested too deep, or writing what the notes do not hold (read
    /// before the merge engine, [`crate::notes::update`]).
    Refused(UpdateError),
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotBase64 => f.write_str("the update is not base64"),
            Self::Malformed(reason) => write!(f, "the update is not a document update: {reason}"),
            Self::MissingDependencies => f.write_str("the update builds on changes this document does not have"),
            Self::TooLarge => write!(f, "the notes would pass {} KiB", MAX_DOCUMENT_BYTES / 1024),
            Self::Refused(why) => write!(f, "the update was refused: {why}"),
        }
    }
}

impl std::error::Error for DocError {}

/// Bytes as base64 (standard alphabet, padded).
pub fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Base64 back to bytes.
pub fn from_base64(text: &str) -> Result<Vec<u8>, DocError> {
    base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| DocError::NotBase64)
}

/// One replica of a session's notes.
pub struct NotesDoc {
    doc: Doc,
    text: TextRef,
    rich: XmlFragmentRef,
}

impl fmt::Debug for NotesDoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotesDoc").field("client_id", &self.doc.client_id()).finish_non_exhaustive()
    }
}

impl Default for NotesDoc {
    fn default() -> Self {
        Self::new()
    }
}

impl NotesDoc {
    /// An empty replica with a random client id.
    pub fn new() -> Self {
        let options = Options { offset_kind: OffsetKind::Utf16, ..Options::default() };
        let doc = Doc::with_options(options);
        let text = doc.get_or_insert_text(TEXT_NAME);
        let rich = doc.get_or_insert_xml_fragment(RICH_NAME);
        NotesDoc { doc, text, rich }
    }

    /// A replica holding a stored document (the whole state, as [`NotesDoc::state`] gives).
    pub fn from_state(state: &[u8]) -> Result<Self, DocError> {
        let doc = Self::new();
        if !state.is_empty() {
            doc.apply(state)?;
        }
        Ok(doc)
    }

    /// The text as it stands.
    pub fn text(&self) -> String {
        self.text.get_string(&self.doc.transact())
    }

    /// Whether the notes are rich text: the fragment holds something. It never holds nothing
    /// once [`NotesDoc::move_into_rich`] ran (a rich editor keeps at least one paragraph).
    pub fn is_rich(&self) -> bool {
        self.rich.len(&self.doc.transact()) > 0
    }

    /// The notes as text for the reference's `/notes` body and the export: the rich notes
    /// as Markdown, or the plain text before they became rich.
    pub fn body(&self) -> String {
        if self.is_rich() {
            crate::notes::markdown::render(&self.doc.transact(), &self.rich)
        } else {
            self.text()
        }
    }

    /// Moves the plain text into the rich fragment, one paragraph per line (at least one),
    /// unless the fragment holds something already; that change as an update. The plain text
    /// stays as it was (an old replica merging into it changes nothing shown). The server
    /// does this once, inside the write that stores it, so that two people opening the notes
    /// at the same moment do not both move the text.
    pub fn move_into_rich(&self) -> Option<Vec<u8>> {
        let mut txn = self.doc.transact_mut();
        if self.rich.len(&txn) > 0 {
            return None;
        }
        let text = self.text.get_string(&txn);
        self.insert_lines(&mut txn, &text);
        Some(txn.encode_update_v1())
    }

    /// Makes the rich notes the given plain text, one paragraph per line, when their
    /// Markdown differs from it (a client typing without the document sent it); that change
    /// as an update.
    pub fn replace_rich_with_lines(&self, body: &str) -> Option<Vec<u8>> {
        if self.body().trim_end() == body.trim_end() {
            return None;
        }
        let mut txn = self.doc.transact_mut();
        let old = self.rich.len(&txn);
        self.rich.remove_range(&mut txn, 0, old);
        self.insert_lines(&mut txn, body.trim_end_matches('\n'));
        Some(txn.encode_update_v1())
    }

    /// Fills the (empty) rich fragment with one paragraph per line of `text`, as
    /// y-prosemirror writes a paragraph: an element holding one text, none when empty.
    fn insert_lines(&self, txn: &mut yrs::TransactionMut<'_>, text: &str) {
        for (index, line) in (0u32..).zip(text.split('\n')) {
            let paragraph = self.rich.insert(txn, index, XmlElementPrelim::empty("paragraph"));
            if !line.is_empty() {
                paragraph.insert(txn, 0, XmlTextPrelim::new(line));
            }
        }
    }

    /// Makes the text `new` with the smallest edit (one delete and one insert where the
    /// two differ), and returns that edit as an update; `None` when nothing changed.
    pub fn replace_text(&self, new: &str) -> Option<Vec<u8>> {
        let mut txn = self.doc.transact_mut();
        let old = self.text.get_string(&txn);
        let edit = TextEdit::between(&old, new)?;
        if edit.delete > 0 {
            self.text.remove_range(&mut txn, edit.at, edit.delete);
        }
        if !edit.insert.is_empty() {
            self.text.insert(&mut txn, edit.at, edit.insert);
        }
        Some(txn.encode_update_v1())
    }

    /// Merges an update; returns whether the text changed. An update that is not one, or
    /// that builds on changes this replica lacks, is refused. On a refusal the replica may
    /// hold the update's parts waiting for what they build on: the server therefore applies
    /// to a fresh replica of the stored document and keeps it only on success.
    pub fn apply(&self, update: &[u8]) -> Result<bool, DocError> {
        let decoded = Update::decode_v1(update).map_err(|e| DocError::Malformed(e.to_string()))?;
        let mut txn = self.doc.transact_mut();
        let before = txn.state_vector();
        txn.apply_update(decoded).map_err(|e| DocError::Malformed(e.to_string()))?;
        if txn.has_missing_updates() {
            return Err(DocError::MissingDependencies);
        }
        Ok(txn.state_vector() != before || !txn.delete_set().is_empty())
    }

    /// This replica's state vector (encoded): what it has, per client.
    pub fn state_vector(&self) -> Vec<u8> {
        use yrs::updates::encoder::Encode;
        self.doc.transact().state_vector().encode_v1()
    }

    /// What a replica with `state_vector` lacks, as one update.
    pub fn diff_since(&self, state_vector: &[u8]) -> Result<Vec<u8>, DocError> {
        let vector = if state_vector.is_empty() {
            StateVector::default()
        } else {
            StateVector::decode_v1(state_vector).map_err(|e| DocError::Malformed(e.to_string()))?
        };
        Ok(self.doc.transact().encode_state_as_update_v1(&vector))
    }

    /// The whole document, to store.
    pub fn state(&self) -> Vec<u8> {
        self.doc.transact().encode_state_as_update_v1(&StateVector::default())
    }

    /// Whether this replica has everything a replica with `state_vector` has.
    pub fn covers(&self, state_vector: &[u8]) -> bool {
        let Ok(theirs) = StateVector::decode_v1(state_vector) else { return false };
        let mine = self.doc.transact().state_vector();
        theirs.iter().all(|(client, clock)| mine.get(client) >= *clock)
    }
}

/// The smallest single edit that turns one text into another, in UTF-16 units.
#[derive(Debug, PartialEq, Eq)]
pub struct TextEdit<'a> {
    /// Where the edit starts.
    pub at: u32,
    /// How many units it deletes there.
    pub delete: u32,
    /// What it inserts there.
    pub insert: &'a str,
}

impl<'a> TextEdit<'a> {
    /// The edit from `old` to `new`: the text between their common start and common end.
    /// `None` when they are equal.
    pub fn between(old: &str, new: &'a str) -> Option<TextEdit<'a>> {
        if old == new {
            return None;
        }
        let prefix: usize = old.chars().zip(new.chars()).take_while(|(a, b)| a == b).map(|(c, _)| c.len_utf8()).sum();
        let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
        let suffix: usize = old_rest
            .chars()
            .rev()
            .zip(new_rest.chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(c, _)| c.len_utf8())
            .sum();
        let deleted = &old_rest[..old_rest.len() - suffix];
        let inserted = &new_rest[..new_rest.len() - suffix];
        Some(TextEdit { at: utf16_len(&old[..prefix]), delete: utf16_len(deleted), insert: inserted })
    }
}

/// Length of `text` in UTF-16 units, as a browser counts it.
pub fn utf16_len(text: &str) -> u32 {
    u32::try_from(text.encode_utf16().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replica_of(other: &NotesDoc) -> NotesDoc {
        NotesDoc::from_state(&other.state()).expect("a whole document loads")
    }

    #[test]
    fn the_edit_between_two_texts_is_the_part_that_differs() {
        assert_eq!(TextEdit::between("abc", "abc"), None);
        assert_eq!(TextEdit::between("abc", "abXc"), Some(TextEdit { at: 2, delete: 0, insert: "X" }));
        assert_eq!(TextEdit::between("abc", "ac"), Some(TextEdit { at: 1, delete: 1, insert: "" }));
        assert_eq!(TextEdit::between("", "new"), Some(TextEdit { at: 0, delete: 0, insert: "new" }));
        // "aa" → "aaa": the common start and end must not overlap.
        assert_eq!(TextEdit::between("aa", "aaa"), Some(TextEdit { at: 2, delete: 0, insert: "a" }));
    }

    #[test]
    fn offsets_count_utf16_units_as_a_browser_does() {
        // "é" is 1 unit, "😀" is 2 (a surrogate pair); the edit after them starts at 3.
        assert_eq!(TextEdit::between("é😀", "é😀!"), Some(TextEdit { at: 3, delete: 0, insert: "!" }));
        let doc = NotesDoc::new();
        doc.replace_text("é😀 ok");
        doc.replace_text("é😀 fine ok");
        assert_eq!(doc.text(), "é😀 fine ok");
    }

    #[test]
    fn concurrent_edits_at_different_places_keep_both_in_either_order() {
        let coach = NotesDoc::new();
        let first = coach.replace_text("Goals\n\nNext steps\n").expect("an edit");
        let coachee = NotesDoc::new();
        coachee.apply(&first).expect("applies");
        let a = coach.replace_text("Goals: ship it\n\nNext steps\n").expect("an edit");
        let b = coachee.replace_text("Goals\n\nNext steps\n- call Sam\n").expect("an edit");
        coach.apply(&b).expect("applies");
        coachee.apply(&a).expect("applies");
        assert_eq!(coach.text(), "Goals: ship it\n\nNext steps\n- call Sam\n");
        assert_eq!(coach.text(), coachee.text());
        // Applying an update twice changes nothing.
        assert_eq!(coach.apply(&b), Ok(false));
        assert_eq!(coach.text(), coachee.text());
    }

    #[test]
    fn a_replica_that_was_away_gets_exactly_what_it_lacks_by_state_vector() {
        let server = NotesDoc::new();
        server.apply(&NotesDoc::new().replace_text("one ").expect("an edit")).expect("applies");
        let away = replica_of(&server);
        let mut sent = 0;
        for word in ["two ", "three "] {
            let writer = replica_of(&server);
            let update = writer.replace_text(&format!("{}{word}", writer.text())).expect("an edit");
            server.apply(&update).expect("applies");
            sent += 1;
        }
        assert_eq!(sent, 2);
        // Offline, the away replica typed too.
        let offline = away.replace_text("zero one ").expect("an edit");
        let missed = server.diff_since(&away.state_vector()).expect("a state vector");
        away.apply(&missed).expect("applies");
        let theirs = away.diff_since(&server.state_vector()).expect("a state vector");
        server.apply(&theirs).expect("applies");
        assert_eq!(server.text(), "zero one two three ");
        assert_eq!(away.text(), server.text());
        assert!(server.covers(&away.state_vector()) && away.covers(&server.state_vector()));
        assert!(!offline.is_empty());
    }

    #[test]
    fn malformed_and_dangling_updates_are_refused() {
        let doc = NotesDoc::new();
        assert!(matches!(doc.apply(b"\xff\xff\xff not an update"), Err(DocError::Malformed(_))));
        assert_eq!(from_base64("not base64!"), Err(DocError::NotBase64));
        // An edit that builds on text the replica never saw.
        let writer = NotesDoc::new();
        writer.replace_text("hello");
        let later = writer.replace_text("hello world").expect("an edit");
        let fresh = NotesDoc::new();
        assert_eq!(fresh.apply(&later), Err(DocError::MissingDependencies));
        // A fresh replica of the stored state is untouched by the refusal.
        let stored = NotesDoc::new().state();
        let again = NotesDoc::from_state(&stored).expect("loads");
        assert_eq!(again.text(), "");
    }

    /// Made by Yjs 13.6.33, the web app's engine (assets/notes-engine), as client 7.
    const YJS_UPDATE: &str = "AQEHAAQBBW5vdGVzHkhlbGxvIGZyb20gWWpzOiBjYWbDqSDimJUg8J+YgAA=";
    /// Made here as client 2^53 − 2 (yrs gives ids of up to 53 bits, where Yjs' own are 32),
    /// so the test in assets/notes-engine/engine.test.js shows that Yjs reads such ids.
    const YRS_UPDATE: &str = "AQH+////////DwAEAQVub3Rlcx5IZWxsbyBmcm9tIHlyczogY2Fmw6kg4piVIPCfmIAA";

    #[test]
    fn updates_of_the_browsers_engine_merge_here_and_ours_are_the_ones_it_merges() {
        let doc = NotesDoc::new();
        assert_eq!(doc.apply(&from_base64(YJS_UPDATE).expect("base64")), Ok(true));
        assert_eq!(doc.text(), "Hello from Yjs: café ☕ 😀");
        let options = Options {
            client_id: yrs::block::ClientID::new((1 << 53) - 2),
            offset_kind: OffsetKind::Utf16,
            ..Options::default()
        };
        let ours = Doc::with_options(options);
        let text = ours.get_or_insert_text(TEXT_NAME);
        let mut txn = ours.transact_mut();
        text.insert(&mut txn, 0, "Hello from yrs: café ☕ 😀");
        assert_eq!(to_base64(&txn.encode_update_v1()), YRS_UPDATE);
    }

    #[test]
    fn plain_text_moves_into_the_rich_notes_once_line_by_line() {
        let doc = NotesDoc::new();
        doc.replace_text("Goals\n\n- call *Sam*");
        assert!(!doc.is_rich());
        assert_eq!(doc.body(), "Goals\n\n- call *Sam*");
        let moved = doc.move_into_rich().expect("moved");
        assert!(doc.is_rich());
        assert_eq!(doc.move_into_rich(), None);
        // Literal text stays literal in the Markdown body; the empty line is no paragraph.
        assert_eq!(doc.body(), "Goals\n\n\\- call \\*Sam\\*\n");
        // The move is an update like any other: a replica that merges it has the same notes.
        let other = NotesDoc::new();
        other.apply(&doc.state()).expect("applies");
        assert!(other.is_rich() && other.body() == doc.body() && !moved.is_empty());
        // Empty notes still become rich: one empty paragraph, so a page from before is refused.
        let empty = NotesDoc::new();
        assert!(empty.move_into_rich().is_some() && empty.is_rich());
        assert_eq!(empty.body(), "");
    }

    #[test]
    fn a_plain_save_over_rich_notes_replaces_them_only_when_it_differs() {
        let doc = NotesDoc::new();
        doc.replace_text("one\ntwo");
        doc.move_into_rich();
        assert_eq!(doc.replace_rich_with_lines("one\n\ntwo\n"), None);
        assert!(doc.replace_rich_with_lines("one\ntwo\nthree").is_some());
        assert_eq!(doc.body(), "one\n\ntwo\n\nthree\n");
    }

    #[test]
    fn base64_round_trips() {
        let bytes = NotesDoc::new().replace_text("round trip").expect("an edit");
        assert_eq!(from_base64(&to_base64(&bytes)), Ok(bytes));
    }
}

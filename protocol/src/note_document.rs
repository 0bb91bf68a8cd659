//! The wire types of a session's live notes [extension]: the document's routes and event.
//! The document itself (a Yjs document) is the server's `tandem_server::notes::crdt`.
//! Updates and state vectors are base64 in JSON.

use serde::{Deserialize, Serialize};

use crate::ids::{CoachingSessionId, UserId};

/// `GET /coaching_sessions/{id}/notes/document[?state_vector=…]`: what the caller lacks (the
/// whole document without a state vector), and the server's state vector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDocumentState {
    pub coaching_session_id: CoachingSessionId,
    /// An update (base64) holding what the given state vector lacks.
    pub update: String,
    /// The server's state vector (base64) after this answer.
    pub state_vector: String,
}

/// Which part of the notes document a client writes in.
///
/// The notes began as one plain text; rich notes are an XML fragment beside it (see the
/// server's `notes::crdt`). The first rich client to open a document moves the text into the
/// fragment, once; from then on a plain client (a page from before, still open) is refused
/// with 409 and asked to reload, since what it typed would be shown nowhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotesFormat {
    /// The plain text (pages from before rich notes).
    #[default]
    Plain,
    /// The rich text fragment.
    Rich,
}

impl NotesFormat {
    /// Whether this is the default (left out of a request).
    pub fn is_plain(&self) -> bool {
        *self == NotesFormat::Plain
    }
}

/// `POST /coaching_sessions/{id}/notes/document`: changes made by the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDocumentPush {
    /// An update (base64).
    pub update: String,
    /// The part the caller writes in (plain when left out).
    #[serde(default, skip_serializing_if = "NotesFormat::is_plain")]
    pub format: NotesFormat,
}

/// Query of `GET /coaching_sessions/{id}/notes/document`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDocumentQuery {
    /// The caller's state vector (base64); none asks for the whole document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_vector: Option<String>,
    /// The part the caller shows (plain when left out). A rich caller moves the plain text
    /// into the rich fragment, when no one has yet.
    #[serde(default, skip_serializing_if = "NotesFormat::is_plain")]
    pub format: NotesFormat,
}

/// `POST /coaching_sessions/{id}/notes/document`: the server's state vector after the merge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDocumentAck {
    /// The server's state vector (base64).
    pub state_vector: String,
}

/// Event `note_document_updated` [extension]: an update of a session's notes, and who made it.
///
/// Live, it carries the update. Replayed after a reconnect, every one but the newest of a
/// document comes without it (the server keeps one update per document, not every burst of
/// typing): a replica that gets one without an update catches up by state vector instead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDocumentUpdated {
    pub coaching_session_id: CoachingSessionId,
    pub user_id: UserId,
    /// The update (base64); absent when a newer update of the document replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update: Option<String>,
}

/// `POST /coaching_sessions/{id}/notes/awareness` [extension]: where the caller's caret and
/// selection are in the rich notes: one y-protocols awareness update (base64) with the
/// caller's own entry only. The server passes it on with the caller's name and colour in
/// place of whatever the update said (`note_awareness_updated`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteAwarenessPush {
    pub update: String,
}

/// Event `note_awareness_updated` [extension]: someone's caret moved (or went, as the page
/// closed). The same fields as [`NoteDocumentUpdated`], with an awareness update (base64);
/// replayed after a reconnect, only each person's newest carries it.
pub type NoteAwarenessUpdated = NoteDocumentUpdated;

//! The session notes' shared document [extension]: what this replica lacks, and sending
//! what it typed, in the rich notes (the server moves plain notes from before into them on
//! the first read). Absent from the reference backend (404), where notes are saved whole.

use gloo::net::http::Method;
use tandem_protocol::{
    CoachingSessionId, NoteDocumentAck, NoteDocumentPush, NoteDocumentQuery, NoteDocumentState, NotesFormat,
};

use super::client::{get, write};
use super::{keepalive, ApiError};

fn path(session: CoachingSessionId) -> String {
    format!("/coaching_sessions/{session}/notes/document")
}

/// An update of the rich notes, the part this app writes in.
fn rich(update: &str) -> NoteDocumentPush {
    NoteDocumentPush { update: update.to_owned(), format: NotesFormat::Rich }
}

/// What a replica with `state_vector` (base64) lacks (all of it without one), and the
/// server's state vector.
pub async fn fetch(session: CoachingSessionId, state_vector: Option<&str>) -> Result<NoteDocumentState, ApiError> {
    let query = NoteDocumentQuery { state_vector: state_vector.map(str::to_owned), format: NotesFormat::Rich };
    let url = match serde_urlencoded::to_string(&query) {
        Ok(encoded) if !encoded.is_empty() => format!("{}?{encoded}", path(session)),
        _ => path(session),
    };
    get(&url).await
}

/// Sends an update (base64); answers the server's state vector after merging it.
pub async fn push(session: CoachingSessionId, update: &str) -> Result<NoteDocumentAck, ApiError> {
    write(Method::POST, &path(session), &rich(update)).await
}

/// Sends an update (base64) as the page goes, in a request that outlives it: what was typed
/// and not yet acknowledged. Sent twice, an update merges to nothing the second time.
pub fn push_on_leaving(session: CoachingSessionId, update: &str) {
    if let Ok(body) = serde_json::to_string(&rich(update)) {
        keepalive::send("POST", &path(session), Some(&body));
    }
}

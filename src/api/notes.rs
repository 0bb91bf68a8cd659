//! Writes of notes.

use gloo::net::http::Method;
use tandem_protocol::{Note, NoteId, NoteInput};

use super::client::write;
use super::ApiError;

/// Creates a note.
pub async fn create(input: &NoteInput) -> Result<Note, ApiError> {
    write(Method::POST, "/notes", input).await
}

/// Changes a note's text.
pub async fn update(id: NoteId, input: &NoteInput) -> Result<Note, ApiError> {
    write(Method::PUT, &format!("/notes/{id}"), input).await
}

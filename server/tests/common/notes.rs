//! The live notes document [extension] as a test reaches it.

use reqwest::{Client, Method, Response};
use serde_json::json;
use tandem_server::notes::crdt::{from_base64, to_base64, NotesDoc};

use super::TestServer;

pub fn document_path(session: &str) -> String {
    format!("/api/coaching_sessions/{session}/notes/document")
}

/// A replica of the session's notes as the server has them.
pub async fn replica(server: &TestServer, client: &Client, session: &str) -> NotesDoc {
    let state = server.ok(client, Method::GET, &document_path(session), None).await;
    let doc = NotesDoc::new();
    doc.apply(&from_base64(state["update"].as_str().unwrap()).unwrap()).unwrap();
    doc
}

/// Sends an update of the session's notes.
pub async fn push(server: &TestServer, client: &Client, session: &str, update: &[u8]) -> Response {
    server.call(client, Method::POST, &document_path(session), Some(&json!({ "update": to_base64(update) }))).await
}

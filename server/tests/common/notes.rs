//! The live notes document [extension] as a test reaches it.

use reqwest::{Client, Method, Response};
use serde_json::json;
use tandem_server::notes::crdt::{from_base64, to_base64, NotesDoc, RICH_NAME};

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

/// The rich notes as a rich client keeps them: a Yjs document whose fragment
/// `notes_rich` holds ProseMirror's nodes (as y-prosemirror writes them).
pub struct RichReplica {
    pub doc: yrs::Doc,
}

impl RichReplica {
    /// Reads the document as a rich client does (which makes the notes rich, once).
    pub async fn open(server: &TestServer, client: &Client, session: &str) -> RichReplica {
        let state = server.ok(client, Method::GET, &format!("{}?format=rich", document_path(session)), None).await;
        let replica = RichReplica {
            doc: yrs::Doc::with_options(yrs::Options {
                offset_kind: yrs::OffsetKind::Utf16,
                ..yrs::Options::default()
            }),
        };
        replica.apply(state["update"].as_str().unwrap());
        replica
    }

    /// Merges an update (base64).
    pub fn apply(&self, update: &str) {
        use yrs::updates::decoder::Decode;
        use yrs::Transact;
        let update = yrs::Update::decode_v1(&from_base64(update).unwrap()).unwrap();
        self.doc.transact_mut().apply_update(update).unwrap();
    }

    /// The fragment's top-level nodes, by name, with their text.
    pub fn blocks(&self) -> Vec<(String, String)> {
        use yrs::{GetString, Transact, XmlFragment, XmlOut};
        // The root first: getting it takes a write transaction, which waits for any read.
        let fragment = self.doc.get_or_insert_xml_fragment(RICH_NAME);
        let txn = self.doc.transact();
        fragment
            .children(&txn)
            .map(|child| match child {
                // The text of a text block only: a quote may nest deeper than a test's stack.
                XmlOut::Element(element) => {
                    let tag = element.tag().to_string();
                    let text = if ["paragraph", "heading"].contains(&tag.as_str()) {
                        let texts = element.children(&txn).filter_map(|child| match child {
                            XmlOut::Text(text) => Some(text.get_string(&txn)),
                            _ => None,
                        });
                        texts.collect()
                    } else {
                        String::new()
                    };
                    (tag, text)
                }
                XmlOut::Text(text) => ("#text".into(), text.get_string(&txn)),
                XmlOut::Fragment(_) => ("#fragment".into(), String::new()),
            })
            .collect()
    }

    /// Adds a block (`heading`, `paragraph`…) with `text` at the end, as an editor would:
    /// the change as an update.
    pub fn append(&self, tag: &str, attribute: Option<(&str, yrs::Any)>, text: &str) -> Vec<u8> {
        use yrs::{Transact, Xml, XmlElementPrelim, XmlFragment, XmlTextPrelim};
        let fragment = self.doc.get_or_insert_xml_fragment(RICH_NAME);
        let mut txn = self.doc.transact_mut();
        let at = fragment.len(&txn);
        let block = fragment.insert(&mut txn, at, XmlElementPrelim::empty(tag));
        if let Some((name, value)) = attribute {
            block.insert_attribute(&mut txn, name, value);
        }
        block.insert(&mut txn, 0, XmlTextPrelim::new(text));
        txn.encode_update_v1()
    }
}

/// Sends a rich client's update of the session's notes.
pub async fn push_rich(server: &TestServer, client: &Client, session: &str, update: &[u8]) -> Response {
    let body = json!({ "update": to_base64(update), "format": "rich" });
    server.call(client, Method::POST, &document_path(session), Some(&body)).await
}

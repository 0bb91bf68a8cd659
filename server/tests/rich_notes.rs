//! Rich notes [extension] over a real port: the plain text becomes rich text once however
//! many open it at the same moment, a page from before is refused rather than typing into
//! text shown nowhere, rich edits reach the other person, and `/notes` shows them as Markdown.

mod common;

use common::notes::{document_path, push, push_rich, replica, RichReplica};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tandem_server::notes::crdt::to_base64;

async fn notes_body(server: &TestServer, client: &reqwest::Client, session: &str) -> String {
    let notes = server.ok(client, Method::GET, &format!("/api/notes?coaching_session_id={session}"), None).await;
    notes[0]["body"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn plain_notes_become_rich_once_when_two_open_them_at_the_same_moment() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let plain = replica(&server, &coach, session).await;
    let typed = plain.replace_text("Goals\n\nNext steps: call Dana").unwrap();
    assert!(push(&server, &coach, session, &typed).await.status().is_success());
    let mut sam_events = server.events(&sam).await;

    let (a, b) = tokio::join!(RichReplica::open(&server, &coach, session), RichReplica::open(&server, &sam, session));
    let expected = vec![
        ("paragraph".to_owned(), "Goals".to_owned()),
        ("paragraph".to_owned(), String::new()),
        ("paragraph".to_owned(), "Next steps: call Dana".to_owned()),
    ];
    assert_eq!(a.blocks(), expected);
    assert_eq!(b.blocks(), expected);
    assert_eq!(RichReplica::open(&server, &sam, session).await.blocks(), expected);
    // The move went out once, to whoever had the notes open.
    let moved = sam_events.expect("note_document_updated").await;
    assert!(moved.json()["data"]["update"].is_string());
    assert_eq!(notes_body(&server, &sam, session).await, "Goals\n\nNext steps: call Dana\n");
}

#[tokio::test]
async fn a_page_from_before_rich_notes_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let old_page = replica(&server, &coach, session).await;
    RichReplica::open(&server, &coach, session).await;
    let before = server.snapshot().await;
    let typed = old_page.replace_text("typed on a page from before").unwrap();
    let response = push(&server, &coach, session, &typed).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let answer: Value = response.json().await.unwrap();
    assert!(answer["message"].as_str().is_some_and(|m| m.contains("reload")), "{answer}");
    assert_eq!(server.snapshot().await, before);
}

#[tokio::test]
async fn rich_edits_reach_the_other_person_and_show_as_markdown() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, coach_id) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let coach_doc = RichReplica::open(&server, &coach, session).await;
    let sam_doc = RichReplica::open(&server, &sam, session).await;
    let mut sam_events = server.events(&sam).await;
    let heading = coach_doc.append("heading", Some(("level", yrs::Any::from(2.0))), "Next steps");
    assert!(push_rich(&server, &coach, session, &heading).await.status().is_success());
    let frame = sam_events.expect("note_document_updated").await;
    let data = frame.json()["data"].clone();
    assert_eq!(data["user_id"], coach_id.as_str());
    sam_doc.apply(data["update"].as_str().unwrap());
    assert_eq!(sam_doc.blocks().last(), Some(&("heading".to_owned(), "Next steps".to_owned())));
    assert!(notes_body(&server, &sam, session).await.ends_with("## Next steps\n"));
}

#[tokio::test]
async fn rich_updates_outside_the_rich_notes_or_malformed_are_refused_with_422() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let plain = replica(&server, &coach, session).await;
    RichReplica::open(&server, &coach, session).await;
    let before = server.snapshot().await;
    // Writing the plain text while saying rich, writing a part of the document no page shows,
    // and bytes that are no update.
    let into_plain = plain.replace_text("sneaked into the old text").unwrap();
    let elsewhere = {
        use yrs::{Text, Transact};
        let doc = yrs::Doc::new();
        let other = doc.get_or_insert_text("elsewhere");
        let mut txn = doc.transact_mut();
        other.insert(&mut txn, 0, "hidden");
        txn.encode_update_v1()
    };
    for update in [into_plain, elsewhere, b"\x01\xff\xff garbage".to_vec()] {
        let body = json!({ "update": to_base64(&update), "format": "rich" });
        let response = server.call(&coach, Method::POST, &document_path(session), Some(&body)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let unknown_format = json!({ "update": to_base64(b""), "format": "html" });
    let response = server.call(&coach, Method::POST, &document_path(session), Some(&unknown_format)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.snapshot().await, before);
    // The document still reads.
    assert_eq!(RichReplica::open(&server, &coach, session).await.blocks().len(), 1);
}

#[tokio::test]
async fn notes_nested_thousands_deep_still_read_and_render() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let doc = RichReplica::open(&server, &coach, session).await;
    let deep = {
        use yrs::{Transact, XmlElementPrelim, XmlFragment, XmlTextPrelim};
        let fragment = doc.doc.get_or_insert_xml_fragment("notes_rich");
        let mut txn = doc.doc.transact_mut();
        let mut parent = fragment.insert(&mut txn, 1, XmlElementPrelim::empty("blockquote"));
        for _ in 0..3_000 {
            parent = parent.insert(&mut txn, 0, XmlElementPrelim::empty("blockquote"));
        }
        let paragraph = parent.insert(&mut txn, 0, XmlElementPrelim::empty("paragraph"));
        paragraph.insert(&mut txn, 0, XmlTextPrelim::new("at the bottom"));
        txn.encode_update_v1()
    };
    assert!(push_rich(&server, &coach, session, &deep).await.status().is_success());
    assert!(notes_body(&server, &coach, session).await.contains("at the bottom"));
    assert_eq!(RichReplica::open(&server, &coach, session).await.blocks().len(), 2);
}

#[tokio::test]
async fn a_session_exports_as_markdown_for_its_participants_only() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let doc = RichReplica::open(&server, &coach, session).await;
    let heading = doc.append("heading", Some(("level", yrs::Any::from(2.0))), "Next *steps*");
    assert!(push_rich(&server, &coach, session, &heading).await.status().is_success());
    let agreement = json!({ "coaching_session_id": session, "body": "Meet weekly" });
    server.ok(&coach, Method::POST, "/api/agreements", Some(agreement)).await;
    let action = json!({ "coaching_session_id": session, "status": "Completed", "body": "Call Kim",
        "assignee_ids": [world.sam_id] });
    server.ok(&sam, Method::POST, "/api/actions", Some(action)).await;

    let path = format!("/api/coaching_sessions/{session}/export.md");
    // A plain link: no X-Version header.
    let response = sam.get(server.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/markdown; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"session-"));
    let text = response.text().await.unwrap();
    assert!(text.contains("## Notes\n\n"), "{text}");
    assert!(text.contains("## Next \\*steps\\*\n"), "{text}");
    assert!(text.contains("## Agreements\n\n- Meet weekly\n"), "{text}");
    assert!(text.contains("- [x] Call Kim (Sam Rivera, Completed)\n"), "{text}");
    assert!(text.contains("Alex Morgan and Sam Rivera"), "{text}");

    let (jordan, _) = server.sign_in(JORDAN).await;
    assert_eq!(jordan.get(server.url(&path)).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(server.client().get(server.url(&path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let unknown = "/api/coaching_sessions/00000000-0000-4000-8000-000000000000/export.md";
    assert_eq!(sam.get(server.url(unknown)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

/// An awareness update of one entry (y-protocols' layout), as a page's editor sends it.
fn awareness(client_id: u64, clock: u64, state: &str) -> String {
    fn varuint(out: &mut Vec<u8>, mut n: u64) {
        while n >= 0x80 {
            out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
    }
    let mut bytes = Vec::new();
    for n in [1, client_id, clock, state.len() as u64] {
        varuint(&mut bytes, n);
    }
    bytes.extend_from_slice(state.as_bytes());
    to_base64(&bytes)
}

const CARET: &str = r##"{"user":{"name":"Sam Rivera","color":"#000000;background:url(x)"},"cursor":{"anchor":{"type":{"client":7,"clock":0},"tname":null,"item":{"client":7,"clock":3},"assoc":0},"head":{"type":{"client":7,"clock":0},"tname":null,"item":{"client":7,"clock":5},"assoc":0}}}"##;

#[tokio::test]
async fn a_caret_reaches_both_participants_with_the_senders_name_and_colour_only() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let path = format!("/api/coaching_sessions/{}/notes/awareness", world.sam_session);
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut sam_events = server.events(&sam).await;
    // The coach's page claims to be Sam, in a colour carrying CSS.
    let sent = server.call(&coach, Method::POST, &path, Some(&json!({ "update": awareness(77, 4, CARET) }))).await;
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    let caret = sam_events.expect("note_awareness_updated").await.json();
    assert_eq!(caret["data"]["coaching_session_id"], world.sam_session.as_str());
    let bytes = tandem_server::notes::crdt::from_base64(caret["data"]["update"].as_str().unwrap()).unwrap();
    let entry = tandem_server::notes::awareness::read(&bytes).unwrap();
    assert_eq!((entry.client, entry.clock, entry.gone), (77, 4, false));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(r##""user":{"color":"#1f5fbf","name":"Alex Morgan"}"##), "{text}");
    assert!(!text.contains("Sam Rivera") && !text.contains("url("), "{text}");
    // Leaving: `null` goes on as it is.
    let left = server.call(&coach, Method::POST, &path, Some(&json!({ "update": awareness(77, 5, "null") }))).await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let gone = sam_events.expect("note_awareness_updated").await.json();
    let bytes = tandem_server::notes::crdt::from_base64(gone["data"]["update"].as_str().unwrap()).unwrap();
    assert!(tandem_server::notes::awareness::read(&bytes).unwrap().gone);
}

#[tokio::test]
async fn a_caret_is_refused_to_others_and_when_malformed_and_changes_nothing() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let path = format!("/api/coaching_sessions/{}/notes/awareness", world.sam_session);
    let (coach, _) = server.sign_in(COACH).await;
    let (stranger, _) = server.sign_in(OTHER_COACH).await;
    let before = server.snapshot().await;
    let post = |client: &reqwest::Client, update: Value| {
        let (server, path, client) = (&server, path.clone(), client.clone());
        async move { server.call(&client, Method::POST, &path, Some(&json!({ "update": update }))).await.status() }
    };
    assert_eq!(post(&stranger, json!(awareness(9, 1, CARET))).await, StatusCode::FORBIDDEN);
    assert_eq!(post(&server.client(), json!(awareness(9, 1, CARET))).await, StatusCode::UNAUTHORIZED);
    let two_entries = {
        let mut bytes = tandem_server::notes::crdt::from_base64(&awareness(9, 1, "null")).unwrap();
        bytes[0] = 2;
        to_base64(&bytes)
    };
    for malformed in [
        json!(two_entries),
        json!("not base64 !"),
        json!(awareness(9, 1, "{\"cursor\":{\"anchor\":1}}")),
        json!(awareness(9, 1, "[]")),
        json!(to_base64(&[0xff; 40])),
        json!(42),
    ] {
        assert_eq!(post(&coach, malformed.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "{malformed}");
    }
    assert_eq!(server.snapshot().await, before);
    // The stored notes are still readable.
    RichReplica::open(&server, &coach, &world.sam_session).await;
}

#[tokio::test]
async fn carets_much_faster_than_ten_a_second_are_refused_with_429() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let path = format!("/api/coaching_sessions/{}/notes/awareness", world.sam_session);
    let (coach, _) = server.sign_in(COACH).await;
    let mut statuses = Vec::new();
    for clock in 1..=45 {
        let body = json!({ "update": awareness(9, clock, CARET) });
        statuses.push(server.call(&coach, Method::POST, &path, Some(&body)).await.status());
    }
    assert!(statuses.contains(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
    assert!(statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count() >= 30, "{statuses:?}");
}

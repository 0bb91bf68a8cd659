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

//! Live notes and presence [extension] over a real port: two people typing into one notes
//! document, what a replica that was away gets, refusals that change nothing, and who is
//! told that a page is open.

mod common;

use std::time::Duration;

use common::notes::{document_path, push, replica};
use common::sse::SseClient;
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tandem_server::notes::crdt::{from_base64, to_base64, NotesDoc};

/// The next `note_document_updated` on a stream, applied to `doc`; returns who made it.
async fn receive_update(stream: &mut SseClient, doc: &NotesDoc) -> String {
    let frame = stream.expect("note_document_updated").await;
    let data = frame.json()["data"].clone();
    doc.apply(&from_base64(data["update"].as_str().unwrap()).unwrap()).unwrap();
    data["user_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn two_people_typing_at_once_both_end_with_everything_both_typed() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, coach_id) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let coach_doc = replica(&server, &coach, session).await;
    let sam_doc = replica(&server, &sam, session).await;
    let mut coach_events = server.events(&coach).await;
    let mut sam_events = server.events(&sam).await;

    let base = coach_doc.replace_text("Goals:\n\nNext steps:\n").unwrap();
    assert!(push(&server, &coach, session, &base).await.status().is_success());
    // The first text also creates the session's note.
    sam_events.expect("note_created").await;
    coach_events.expect("note_created").await;
    assert_eq!(receive_update(&mut sam_events, &sam_doc).await, coach_id);
    assert_eq!(receive_update(&mut coach_events, &coach_doc).await, coach_id);
    // Both type at once, at different places, each before seeing the other's change.
    let by_coach = coach_doc.replace_text("Goals: ship the plan\n\nNext steps:\n").unwrap();
    let by_sam = sam_doc.replace_text("Goals:\n\nNext steps: call Dana\n").unwrap();
    let (a, b) = tokio::join!(push(&server, &coach, session, &by_coach), push(&server, &sam, session, &by_sam));
    assert!(a.status().is_success() && b.status().is_success());
    let mut authors = vec![receive_update(&mut coach_events, &coach_doc).await];
    authors.push(receive_update(&mut coach_events, &coach_doc).await);
    receive_update(&mut sam_events, &sam_doc).await;
    receive_update(&mut sam_events, &sam_doc).await;
    authors.sort();
    let mut expected = vec![coach_id.clone(), sam_id.clone()];
    expected.sort();
    assert_eq!(authors, expected);
    let merged = "Goals: ship the plan\n\nNext steps: call Dana\n";
    assert_eq!(coach_doc.text(), merged);
    assert_eq!(sam_doc.text(), merged);
    // A fresh reader, and `/notes`, see the same text.
    assert_eq!(replica(&server, &coach, session).await.text(), merged);
    let notes = server.ok(&sam, Method::GET, &format!("/api/notes?coaching_session_id={session}"), None).await;
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["body"], merged);
}

#[tokio::test]
async fn a_replica_that_was_away_gets_exactly_what_it_missed_and_gives_what_it_typed() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let coach_doc = replica(&server, &coach, session).await;
    assert!(push(&server, &coach, session, &coach_doc.replace_text("one ").unwrap()).await.status().is_success());
    let away = replica(&server, &sam, session).await;
    // While Sam is away, the coach writes on; Sam types offline.
    assert!(push(&server, &coach, session, &coach_doc.replace_text("one two ").unwrap()).await.status().is_success());
    away.replace_text("zero one ");
    // Back: Sam asks for what the server has beyond Sam's state vector...
    let vector = to_base64(&away.state_vector());
    let missed = server
        .ok(&sam, Method::GET, &format!("{}?state_vector={}", document_path(session), urlencode(&vector)), None)
        .await;
    let missed_update = from_base64(missed["update"].as_str().unwrap()).unwrap();
    let whole =
        from_base64(server.ok(&sam, Method::GET, &document_path(session), None).await["update"].as_str().unwrap())
            .unwrap();
    assert!(missed_update.len() < whole.len(), "only what was missed is sent");
    away.apply(&missed_update).unwrap();
    // ...and gives what the server lacks.
    let server_vector = from_base64(missed["state_vector"].as_str().unwrap()).unwrap();
    let mine = away.diff_since(&server_vector).unwrap();
    let ack = push(&server, &sam, session, &mine).await;
    assert!(ack.status().is_success());
    assert_eq!(away.text(), "zero one two ");
    assert_eq!(replica(&server, &coach, session).await.text(), "zero one two ");
}

fn urlencode(text: &str) -> String {
    text.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
}

#[tokio::test]
async fn malformed_or_dangling_updates_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let doc = replica(&server, &coach, session).await;
    assert!(push(&server, &coach, session, &doc.replace_text("kept").unwrap()).await.status().is_success());
    let before = server.snapshot().await;
    // Not base64, not an update, an update building on text the server never saw, and a
    // body that is not the push at all.
    let elsewhere = NotesDoc::new();
    elsewhere.replace_text("never sent");
    let dangling = elsewhere.replace_text("never sent, then this").unwrap();
    for body in [
        json!({ "update": "%%% not base64" }),
        json!({ "update": to_base64(b"\x00\xff\xff\xff\xff\xff\xff\xff garbage") }),
        json!({ "update": to_base64(&dangling) }),
        json!({ "update": 42 }),
        json!({}),
    ] {
        let response = server.call(&coach, Method::POST, &document_path(session), Some(&body)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let answer: Value = response.json().await.unwrap();
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
    let bad_vector = server.get(&coach, &format!("{}?state_vector=%25%25", document_path(session))).await;
    assert_eq!(bad_vector.status(), StatusCode::BAD_REQUEST);
    assert_eq!(server.snapshot().await, before);
    assert_eq!(replica(&server, &coach, session).await.text(), "kept");
}

#[tokio::test]
async fn only_participants_read_or_write_the_document() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (jordan, _) = server.sign_in(JORDAN).await;
    let update = NotesDoc::new().replace_text("intruder").unwrap();
    assert_eq!(server.get(&jordan, &document_path(session)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(push(&server, &jordan, session, &update).await.status(), StatusCode::FORBIDDEN);
    let unknown = "00000000-0000-4000-8000-000000000000";
    assert_eq!(server.get(&jordan, &document_path(unknown)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(server.get(&server.client(), &document_path(session)).await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_plain_note_edit_reaches_the_document_and_its_readers() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let coach_doc = replica(&server, &coach, session).await;
    assert!(push(&server, &coach, session, &coach_doc.replace_text("typed live").unwrap()).await.status().is_success());
    let mut coach_events = server.events(&coach).await;
    // Sam's client knows nothing of documents: it saves the whole text.
    let notes = server.ok(&sam, Method::GET, &format!("/api/notes?coaching_session_id={session}"), None).await;
    let note_id = notes[0]["id"].as_str().unwrap();
    server
        .ok(
            &sam,
            Method::PUT,
            &format!("/api/notes/{note_id}"),
            Some(json!({ "coaching_session_id": session, "body": "typed live, then saved" })),
        )
        .await;
    coach_events.expect("note_updated").await;
    assert_eq!(receive_update(&mut coach_events, &coach_doc).await, sam_id);
    assert_eq!(coach_doc.text(), "typed live, then saved");
}

async fn presence_of(events: &mut SseClient) -> Vec<String> {
    let frame = events.expect("coaching_session_presence_changed").await;
    let data = frame.json()["data"].clone();
    data["present"].as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_owned()).collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn presence_counts_people_once_and_reaches_only_participants() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let path = format!("/api/coaching_sessions/{session}/presence");
    let (coach, coach_id) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let (jordan, jordan_id) = server.sign_in(JORDAN).await;
    let mut sam_events = server.events(&sam).await;
    let mut jordan_events = server.events(&jordan).await;

    server.ok(&coach, Method::PUT, &path, Some(json!({ "tab": "coach-1" }))).await;
    assert_eq!(presence_of(&mut sam_events).await, vec![coach_id.clone()]);
    server.ok(&sam, Method::PUT, &path, Some(json!({ "tab": "sam-1" }))).await;
    assert_eq!(presence_of(&mut sam_events).await, sorted(vec![coach_id.clone(), sam_id.clone()]));
    // A second tab of the coach, and heartbeats, change nothing; closing one of two tabs
    // neither.
    server.ok(&coach, Method::PUT, &path, Some(json!({ "tab": "coach-2" }))).await;
    server.ok(&coach, Method::PUT, &path, Some(json!({ "tab": "coach-1" }))).await;
    server.ok(&coach, Method::DELETE, &format!("{path}?tab=coach-1"), None).await;
    let now = server.ok(&sam, Method::GET, &path, None).await;
    assert_eq!(now["present"].as_array().unwrap().len(), 2);
    server.ok(&coach, Method::DELETE, &format!("{path}?tab=coach-2"), None).await;
    assert_eq!(presence_of(&mut sam_events).await, vec![sam_id.clone()]);
    // A stranger can neither say nor see, and received nothing of it.
    let put = server.call(&jordan, Method::PUT, &path, Some(&json!({ "tab": "j" }))).await;
    assert_eq!(put.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.get(&jordan, &path).await.status(), StatusCode::FORBIDDEN);
    let bad = server.call(&sam, Method::PUT, &path, Some(&json!({ "tab": "" }))).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    server.assert_received_nothing(JORDAN, &mut jordan_events, &jordan_id).await;
}

#[tokio::test]
async fn a_page_that_goes_quiet_is_forgotten_and_the_other_is_told() {
    let server = TestServer::start_with(|config| config.presence_ttl_secs = 1).await;
    let world = server.world().await;
    let session = &world.sam_session;
    let path = format!("/api/coaching_sessions/{session}/presence");
    let (coach, coach_id) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let mut coach_events = server.events(&coach).await;
    server.ok(&coach, Method::PUT, &path, Some(json!({ "tab": "coach" }))).await;
    assert_eq!(presence_of(&mut coach_events).await, vec![coach_id.clone()]);
    server.ok(&sam, Method::PUT, &path, Some(json!({ "tab": "laptop" }))).await;
    assert_eq!(presence_of(&mut coach_events).await, sorted(vec![coach_id.clone(), sam_id.clone()]));
    // Neither says anything more: both pages are forgotten within the sweep.
    let started = std::time::Instant::now();
    let gone = coach_events.expect("coaching_session_presence_changed").await;
    assert!(started.elapsed() < Duration::from_secs(10));
    let left = gone.json()["data"]["present"].as_array().unwrap().len();
    assert!(left < 2, "{gone:?}");
}

//! Several instances on one PostgreSQL database, as behind a load balancer: events, replay
//! and sign-outs cross instances, and a PostgreSQL restart under live streams loses no
//! committed event. Run by `make test` (scripts/test.sh) with `--include-ignored` against the
//! project's own PostgreSQL; ignored on the SQLite pass, where instances cannot share a
//! database.

mod common;

use std::time::Duration;

use common::sse::SseClient;
use common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

const NEEDS_POSTGRES: &str = "needs PostgreSQL: scripts/with-postgres.sh";

/// Two instances on one fresh database.
async fn cluster() -> (TestServer, TestServer) {
    assert!(std::env::var(POSTGRES_ENV).is_ok(), "{NEEDS_POSTGRES} test cargo test -- --include-ignored");
    let a = TestServer::start().await;
    let b = TestServer::another_instance(&a).await;
    (a, b)
}

async fn add_agreement(server: &TestServer, client: &Client, session: &str, body: &str) -> serde_json::Value {
    server
        .ok(client, Method::POST, "/api/agreements", Some(json!({"coaching_session_id": session, "body": body})))
        .await
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn a_stream_on_one_instance_receives_a_write_made_on_the_other() {
    let (a, b) = cluster().await;
    let w = a.world().await;
    let (sam, _) = a.sign_in(SAM).await;
    let (alex, _) = b.sign_in(COACH).await;
    let mut sam_on_a = a.events(&sam).await;
    let mut alex_on_b = b.events(&alex).await;
    let written = add_agreement(&b, &alex, &w.sam_session, "Written through B").await;
    for stream in [&mut sam_on_a, &mut alex_on_b] {
        let frame = stream.expect("agreement_created").await;
        assert_eq!(frame.json()["data"]["agreement"]["id"], written["id"]);
    }
    // And the other way round, with a coachee's write on A.
    let (sam_writer, _) = a.sign_in(SAM).await;
    add_agreement(&a, &sam_writer, &w.sam_session, "Written through A").await;
    assert_eq!(alex_on_b.expect("agreement_created").await.json()["data"]["agreement"]["body"], "Written through A");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn a_reconnect_to_the_other_instance_replays_exactly_what_was_missed() {
    let (a, b) = cluster().await;
    let w = a.world().await;
    let (sam, _) = a.sign_in(SAM).await;
    // Sam writes (in another sign-in), so that Sam's stream holds these events only: the
    // coach's writes would also bring Sam inbox items, whose ids sit between them.
    let (writer, _) = a.sign_in(SAM).await;
    let mut on_a = a.events(&sam).await;
    add_agreement(&a, &writer, &w.sam_session, "seen").await;
    let seen = on_a.expect("agreement_created").await;
    drop(on_a);
    let mut missed = Vec::new();
    for n in 0..3 {
        missed.push(add_agreement(&a, &writer, &w.sam_session, &format!("missed {n}")).await["id"].clone());
    }
    let mut on_b = SseClient::connect(&sam, &b.url("/api/sse"), seen.id.as_deref()).await;
    let mut ids = vec![seen.id_number()];
    for expected in &missed {
        let frame = on_b.expect("agreement_created").await;
        assert_eq!(&frame.json()["data"]["agreement"]["id"], expected, "replayed in order");
        ids.push(frame.id_number());
    }
    assert!(ids.windows(2).all(|pair| pair[1] == pair[0] + 1), "ids continue across instances: {ids:?}");
    // Nothing more: the next frame is a live one.
    add_agreement(&b, &writer, &w.sam_session, "live").await;
    let live = on_b.expect("agreement_created").await;
    assert_eq!(live.json()["data"]["agreement"]["body"], "live");
    assert_eq!(live.id_number(), ids[3] + 1);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn signing_out_on_one_instance_closes_that_logins_streams_on_the_other() {
    let (a, b) = cluster().await;
    let (sam, _) = a.sign_in(SAM).await;
    let (_, sam_id) = (sam.clone(), a.world().await.sam_id);
    // The same browser (one cookie) holds a stream on each instance.
    let mut on_a = a.events(&sam).await;
    let mut on_b = b.events(&sam).await;
    // Another device of Sam's stays signed in.
    let (phone, _) = b.sign_in(SAM).await;
    let mut phone_on_b = b.events(&phone).await;
    let answer = a.call(&sam, Method::DELETE, "/api/delete", None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    for stream in [&mut on_a, &mut on_b] {
        let frames = stream.until_closed().await;
        let last = frames.iter().rev().find(|f| f.event.is_some()).expect("a force_logout");
        assert_eq!(last.event.as_deref(), Some("force_logout"));
    }
    assert_eq!(b.get(&sam, &format!("/api/users/{sam_id}")).await.status(), StatusCode::UNAUTHORIZED);
    // The other device is untouched: its stream is open and its requests succeed.
    let answer = b.get(&phone, &format!("/api/users/{sam_id}")).await;
    assert_eq!(answer.status(), StatusCode::OK, "{:?}", answer.text().await);
    assert!(phone_on_b.next_frame_within(Duration::from_millis(300)).await.is_some_and(|f| f.retry.is_some()));
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn a_client_of_a_stopped_instance_resumes_on_the_other_without_a_gap() {
    let (mut a, b) = cluster().await;
    let w = b.world().await;
    let (sam, _) = a.sign_in(SAM).await;
    // Sam writes (as in the test above: no inbox items between the ids).
    let (writer, _) = b.sign_in(SAM).await;
    let mut on_a = a.events(&sam).await;
    add_agreement(&b, &writer, &w.sam_session, "before").await;
    let last = on_a.expect("agreement_created").await;
    a.shut_down().await;
    assert!(on_a.until_closed().await.iter().all(|f| f.event.is_none()), "the stream just ends");
    let written = add_agreement(&b, &writer, &w.sam_session, "while reconnecting").await;
    let mut on_b = SseClient::connect(&sam, &b.url("/api/sse"), last.id.as_deref()).await;
    let frame = on_b.expect("agreement_created").await;
    assert_eq!(frame.json()["data"]["agreement"]["id"], written["id"]);
    assert_eq!(frame.id_number(), last.id_number() + 1);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn an_event_too_large_for_a_notification_travels_by_id() {
    let (a, b) = cluster().await;
    let w = a.world().await;
    let (sam, _) = a.sign_in(SAM).await;
    let (alex, _) = b.sign_in(COACH).await;
    let mut on_a = a.events(&sam).await;
    // PostgreSQL refuses notifications of 8000 bytes or more; this note's event is ten times that.
    let body = "A long note. ".repeat(6_000);
    let note = b
        .ok(&alex, Method::POST, "/api/notes", Some(json!({"coaching_session_id": w.sam_session, "body": body})))
        .await;
    let frame = on_a.expect("note_created").await;
    assert!(frame.data.len() > 70_000, "the whole event arrived: {} bytes", frame.data.len());
    assert_eq!(frame.json()["data"]["note"]["id"], note["id"]);
    assert_eq!(frame.json()["data"]["note"]["body"], body.as_str());
}

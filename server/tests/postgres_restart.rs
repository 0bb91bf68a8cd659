//! A PostgreSQL restart under live streams loses no committed event. In a test binary of its
//! own: the restart would disturb any test running beside it. Run like `cluster.rs`.

mod common;

use std::time::Duration;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn restarting_postgresql_under_live_streams_loses_no_committed_event() {
    let restart = std::env::var("TANDEM_TEST_POSTGRES_RESTART").expect("scripts/with-postgres.sh sets it");
    assert!(std::env::var(POSTGRES_ENV).is_ok(), "needs PostgreSQL: scripts/with-postgres.sh");
    let a = TestServer::start().await;
    let b = TestServer::another_instance(&a).await;
    let w = a.world().await;
    let (sam, _) = a.sign_in(SAM).await;
    // Sam writes (in another sign-in), so that Sam's stream holds these events only: the
    // coach's writes would also bring Sam inbox items, whose ids sit between them.
    let (writer, _) = b.sign_in(SAM).await;
    let mut on_a = a.events(&sam).await;
    let body = json!({"coaching_session_id": w.sam_session, "body": "before the restart"});
    b.ok(&writer, Method::POST, "/api/agreements", Some(body)).await;
    let first = on_a.expect("agreement_created").await.id_number();

    let restarted =
        tokio::task::spawn_blocking(move || std::process::Command::new("sh").arg("-c").arg(restart).status());
    // Write all through the restart: some writes fail while the database is away, and every
    // one that succeeds must reach the stream on the other instance.
    let mut committed = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while committed.len() < 5 {
        assert!(tokio::time::Instant::now() < deadline, "writes never succeeded again after the restart");
        let body = json!({"coaching_session_id": w.sam_session, "body": format!("during {}", committed.len())});
        let answer = b.call(&writer, Method::POST, "/api/agreements", Some(&body)).await;
        if answer.status().is_success() {
            let created: serde_json::Value = answer.json().await.unwrap();
            committed.push(created["data"]["id"].clone());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(restarted.await.unwrap().unwrap().success(), "the restart ran");
    let mut received = Vec::new();
    let mut ids = vec![first];
    while received.len() < committed.len() {
        let frame = on_a.next_frame_within(Duration::from_secs(15)).await.expect("the stream stays open");
        if frame.event.as_deref() == Some("agreement_created") {
            received.push(frame.json()["data"]["agreement"]["id"].clone());
            ids.push(frame.id_number());
        }
    }
    assert_eq!(received, committed, "every committed write arrived, in order");
    assert!(ids.windows(2).all(|pair| pair[1] == pair[0] + 1), "no id was skipped: {ids:?}");
}

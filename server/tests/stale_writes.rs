//! Writes based on an old version [extension]: an edit that says which version it started
//! from (`If-Match`) is refused with 409, the entity as it is now and who changed it, when
//! someone else changed it meanwhile; the refusal changes nothing. Without `If-Match` an edit
//! is served as the reference contract says.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::{parse_version_tag, version_tag, IF_MATCH};

/// A JSON call with `If-Match` set to the version `seen` (an entity's `updated_at`).
async fn call_based_on(
    server: &TestServer,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    seen: &Value,
    body: Value,
) -> reqwest::Response {
    let at = parse_version_tag(seen["updated_at"].as_str().unwrap()).unwrap();
    client
        .request(method, server.url(path))
        .header("x-version", tandem_protocol::API_VERSION)
        .header(IF_MATCH, version_tag(at))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// One kind of entity: where it lives, and two different edits of it.
struct Case {
    path: String,
    method: Method,
    first: Value,
    second: Value,
    /// Where the answer or the read holds the entity.
    read: String,
}

async fn refuses_the_stale_edit(server: &TestServer, case: Case) {
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    // Both open the same version.
    let seen = server.ok(&coach, Method::GET, &case.read, None).await;
    let sams = call_based_on(server, &sam, case.method.clone(), &case.path, &seen, case.first.clone()).await;
    assert!(sams.status().is_success(), "{}: {}", case.path, sams.text().await.unwrap());
    let now = server.ok(&coach, Method::GET, &case.read, None).await;
    let before = server.snapshot().await;
    // The coach saves what was typed on the old version.
    let stale = call_based_on(server, &coach, case.method.clone(), &case.path, &seen, case.second.clone()).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT, "{}", case.path);
    let refusal: Value = stale.json().await.unwrap();
    assert_eq!(refusal["error"], "conflict");
    assert!(refusal["message"].as_str().unwrap().contains("changed by someone else"), "{refusal}");
    assert_eq!(refusal["details"]["current"], now, "{}: the entity as it is now", case.path);
    assert_eq!(refusal["details"]["changed_by"], sam_id.as_str(), "{}: who changed it", case.path);
    assert_eq!(server.snapshot().await, before, "{}: a refusal changes nothing", case.path);
    // Keeping theirs-then-mine: based on the current version, the same edit lands.
    let kept = call_based_on(server, &coach, case.method.clone(), &case.path, &now, case.second.clone()).await;
    assert!(kept.status().is_success(), "{}: {}", case.path, kept.text().await.unwrap());
    // Without a version, the contract's behaviour: the last write wins.
    let plain = server.call(&sam, case.method.clone(), &case.path, Some(&case.first)).await;
    assert!(plain.status().is_success(), "{}", case.path);
}

#[tokio::test]
async fn stale_edits_of_topics_actions_agreements_goals_and_titles_are_refused_with_the_current_entity() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let s = &w.sam_session;
    let action = server
        .ok(
            &coach,
            Method::POST,
            "/api/actions",
            Some(json!({ "coaching_session_id": s, "status": "NotStarted", "body": "draft" })),
        )
        .await;
    let agreement = server
        .ok(&coach, Method::POST, "/api/agreements", Some(json!({ "coaching_session_id": s, "body": "weekly" })))
        .await;
    let goal = server
        .ok(
            &coach,
            Method::POST,
            "/api/goals",
            Some(json!({ "coaching_relationship_id": w.with_sam, "status": "NotStarted", "title": "speak" })),
        )
        .await;
    let action_path = format!("/api/actions/{}", action["id"].as_str().unwrap());
    let agreement_path = format!("/api/agreements/{}", agreement["id"].as_str().unwrap());
    let goal_path = format!("/api/goals/{}", goal["id"].as_str().unwrap());
    let session_path = format!("/api/coaching_sessions/{s}");
    let ahead = (chrono::Utc::now() + chrono::Duration::days(3)).format("%Y-%m-%dT%H:%M:%S").to_string();
    let upcoming = server
        .ok(
            &coach,
            Method::POST,
            "/api/coaching_sessions",
            Some(json!({ "coaching_relationship_id": w.with_sam, "date": ahead, "duration_minutes": 30 })),
        )
        .await;
    let topics = format!("/api/coaching_sessions/{}/topics", upcoming["id"].as_str().unwrap());
    let topic = server.ok(&coach, Method::POST, &topics, Some(json!({ "body": "delegation" }))).await;
    let topic_path = format!("{topics}/{}", topic["id"].as_str().unwrap());
    for case in [
        Case {
            path: topic_path.clone(),
            method: Method::PUT,
            first: json!({ "body": "Sam's wording" }),
            second: json!({ "body": "the coach's wording" }),
            read: topic_path.clone(),
        },
        Case {
            path: format!("{topic_path}/status"),
            method: Method::PATCH,
            first: json!({ "status": "Discussed" }),
            second: json!({ "status": "Open" }),
            read: topic_path.clone(),
        },
        Case {
            path: action_path.clone(),
            method: Method::PUT,
            first: json!({ "coaching_session_id": s, "status": "InProgress", "body": "Sam's wording" }),
            second: json!({ "coaching_session_id": s, "status": "NotStarted", "body": "the coach's wording" }),
            read: action_path,
        },
        Case {
            path: agreement_path.clone(),
            method: Method::PUT,
            first: json!({ "coaching_session_id": s, "body": "every Monday" }),
            second: json!({ "coaching_session_id": s, "body": "every Friday" }),
            read: agreement_path,
        },
        Case {
            path: goal_path.clone(),
            method: Method::PUT,
            first: json!({ "coaching_relationship_id": w.with_sam, "status": "NotStarted", "title": "speak up" }),
            second: json!({ "coaching_relationship_id": w.with_sam, "status": "NotStarted", "title": "speak out" }),
            read: goal_path,
        },
        Case {
            path: format!("{session_path}/title"),
            method: Method::PATCH,
            first: json!({ "title": "Sam's title" }),
            second: json!({ "title": "The coach's title" }),
            read: session_path,
        },
    ] {
        refuses_the_stale_edit(&server, case).await;
    }
}

#[tokio::test]
async fn an_unreadable_version_is_a_bad_request_and_any_version_is_no_condition() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let path = format!("/api/coaching_sessions/{}/title", w.sam_session);
    let with = |value: &'static str| {
        coach
            .patch(server.url(&path))
            .header("x-version", tandem_protocol::API_VERSION)
            .header(IF_MATCH, value)
            .json(&json!({ "title": "Checked" }))
            .send()
    };
    assert_eq!(with("\"last tuesday\"").await.unwrap().status(), StatusCode::BAD_REQUEST);
    assert_eq!(with("*").await.unwrap().status(), StatusCode::OK);
}

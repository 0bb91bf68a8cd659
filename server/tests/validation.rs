//! Bad input gets a clear 400/422 and changes nothing (the whole database is compared).

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Sends a request that must be refused with `status`; returns the body, after checking the
/// database did not change.
async fn refused(
    server: &TestServer,
    client: &reqwest::Client,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) -> String {
    let before = server.snapshot().await;
    let response = server.call(client, method.clone(), path, body.as_ref()).await;
    assert_eq!(response.status(), status, "{method} {path} {body:?}");
    let text = response.text().await.unwrap();
    assert_eq!(server.snapshot().await, before, "{method} {path} changed the database");
    text
}

/// A 422 with a JSON `validation_error` body whose message mentions `words`.
async fn invalid(server: &TestServer, client: &reqwest::Client, method: Method, path: &str, body: Value, words: &str) {
    let text = refused(server, client, method.clone(), path, Some(body), StatusCode::UNPROCESSABLE_ENTITY).await;
    let error: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    assert_eq!(error["error"], "validation_error");
    assert_eq!(error["status_code"], 422);
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(words), "{method} {path}: {message:?} does not mention {words:?}");
}

#[tokio::test]
async fn sessions_reject_bad_durations_dates_and_fields() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let base = json!({"coaching_relationship_id": w.with_sam, "date": "2031-01-01T09:00:00"});
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/coaching_sessions",
        with("duration_minutes", json!(0)),
        "between 1 and 480",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/coaching_sessions",
        with("duration_minutes", json!(481)),
        "between 1 and 480",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/coaching_sessions",
        with("duration_minutes", json!("sixty")),
        "duration_minutes",
    )
    .await;
    invalid(&server, &alex, Method::POST, "/api/coaching_sessions", with("date", json!("2031-13-01T09:00:00")), "date")
        .await;
    invalid(&server, &alex, Method::POST, "/api/coaching_sessions", with("title", json!("x".repeat(256))), "too long")
        .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/coaching_sessions",
        with("meeting_url", json!("javascript:alert(1)")),
        "meeting link",
    )
    .await;
    invalid(&server, &alex, Method::POST, "/api/coaching_sessions", with("provider", json!("skype")), "provider").await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/coaching_sessions",
        json!({"coaching_relationship_id": w.with_sam}),
        "missing field `date`",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::PUT,
        &format!("/api/coaching_sessions/{}", w.sam_session),
        json!({"date": "2031-01-01T09:00:00", "duration_minutes": 999}),
        "between 1 and 480",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::PATCH,
        &format!("/api/coaching_sessions/{}/title", w.sam_session),
        json!({"title": 42}),
        "title",
    )
    .await;

    let malformed =
        refused(&server, &alex, Method::POST, "/api/coaching_sessions", None, StatusCode::BAD_REQUEST).await;
    assert!(!malformed.is_empty());
    let raw = alex
        .post(server.url("/api/coaching_sessions"))
        .header("x-version", tandem_protocol::API_VERSION)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);

    let missing = refused(
        &server,
        &alex,
        Method::GET,
        &format!("/api/coaching_sessions?coaching_relationship_id={}&from_date=2026-01-01", w.with_sam),
        None,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(missing.contains("to_date"), "{missing}");
    let bad_date = refused(
        &server,
        &alex,
        Method::GET,
        &format!(
            "/api/coaching_sessions?coaching_relationship_id={}&from_date=yesterday&to_date=2026-01-01",
            w.with_sam
        ),
        None,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert!(bad_date.contains("from_date"), "{bad_date}");
    let reversed = refused(
        &server,
        &alex,
        Method::GET,
        &format!(
            "/api/coaching_sessions?coaching_relationship_id={}&from_date=2026-02-01&to_date=2026-01-01",
            w.with_sam
        ),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(reversed.contains("to_date"), "{reversed}");
}

#[tokio::test]
async fn the_session_list_honours_its_date_range_and_order() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    for date in ["2031-03-01T09:00:00", "2031-03-15T23:30:00", "2031-04-01T00:00:00"] {
        server
            .ok(
                &alex,
                Method::POST,
                "/api/coaching_sessions",
                Some(json!({"coaching_relationship_id": w.with_sam, "date": date})),
            )
            .await;
    }
    let march = server
        .ok(&alex, Method::GET, &format!("/api/coaching_sessions?coaching_relationship_id={}&from_date=2031-03-01&to_date=2031-03-31&sort_by=date&sort_order=desc", w.with_sam), None)
        .await;
    let dates: Vec<&str> = march.as_array().unwrap().iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2031-03-15T23:30:00", "2031-03-01T09:00:00"]);
    assert!(march[0]["display_title"].as_str().unwrap().contains("Sam"));
}

#[tokio::test]
async fn actions_reject_strangers_as_assignees_unknown_statuses_and_foreign_goals() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let s = &w.sam_session;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        json!({"coaching_session_id": s, "status": "NotStarted", "assignee_ids": [w.jordan_id]}),
        "not the coach or the coachee",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        json!({"coaching_session_id": s, "status": "Done"}),
        "status",
    )
    .await;
    invalid(&server, &alex, Method::POST, "/api/actions", json!({"coaching_session_id": s}), "missing field `status`")
        .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        json!({"coaching_session_id": s, "status": "NotStarted", "body": "x".repeat(10_001)}),
        "too long",
    )
    .await;
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        json!({"coaching_session_id": s, "status": "NotStarted", "due_by": "tomorrow"}),
        "due_by",
    )
    .await;
    let jordans_goal = server
        .ok(&alex, Method::GET, &format!("/api/goals?coaching_relationship_id={}", w.with_jordan), None)
        .await[0]["id"]
        .clone();
    invalid(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        json!({"coaching_session_id": s, "status": "NotStarted", "goal_id": jordans_goal}),
        "goal",
    )
    .await;
    refused(
        &server,
        &alex,
        Method::POST,
        "/api/actions",
        Some(json!({"coaching_session_id": uuid::Uuid::new_v4(), "status": "NotStarted"})),
        StatusCode::NOT_FOUND,
    )
    .await;

    // A replace keeps the session, and an omitted assignee list keeps the assignees.
    let action = server.ok(&alex, Method::POST, "/api/actions", Some(json!({"coaching_session_id": s, "status": "NotStarted", "body": "b", "due_by": "2031-01-01T10:00:00+02:00", "assignee_ids": [w.sam_id, w.sam_id]}))).await;
    assert_eq!(action["assignee_ids"], json!([w.sam_id]));
    assert_eq!(action["due_by"], "2031-01-01T08:00:00Z");
    let id = action["id"].as_str().unwrap();
    let other_session = server
        .ok(
            &alex,
            Method::GET,
            &format!(
                "/api/coaching_sessions?coaching_relationship_id={}&from_date=2000-01-01&to_date=2100-01-01",
                w.with_sam
            ),
            None,
        )
        .await[1]["id"]
        .clone();
    invalid(
        &server,
        &alex,
        Method::PUT,
        &format!("/api/actions/{id}"),
        json!({"coaching_session_id": other_session, "status": "NotStarted"}),
        "another coaching session",
    )
    .await;
    let replaced = server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/actions/{id}"),
            Some(json!({"coaching_session_id": s, "status": "InProgress"})),
        )
        .await;
    assert_eq!(replaced["body"], Value::Null, "an omitted body becomes null");
    assert_eq!(replaced["due_by"], Value::Null);
    assert_eq!(replaced["assignee_ids"], json!([w.sam_id]), "omitted assignee_ids leave the set alone");
    assert_ne!(replaced["status_changed_at"], action["status_changed_at"]);
}

#[tokio::test]
async fn at_most_three_goals_are_in_progress_and_the_refusal_names_them() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let rel = &w.with_sam;
    // The demo has one in progress; add two more.
    for title in ["Second", "Third"] {
        server
            .ok(
                &alex,
                Method::POST,
                "/api/goals",
                Some(json!({"coaching_relationship_id": rel, "status": "InProgress", "title": title})),
            )
            .await;
    }
    let text = refused(
        &server,
        &alex,
        Method::POST,
        "/api/goals",
        Some(json!({"coaching_relationship_id": rel, "status": "InProgress", "title": "Fourth"})),
        StatusCode::CONFLICT,
    )
    .await;
    let error: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(error["error"], "conflict");
    assert_eq!(error["details"]["max_in_progress_goals"], 3);
    let titles: Vec<&str> = error["details"]["in_progress_goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Speak at the spring meetup", "Second", "Third"]);

    // Updating one of the three keeps it in progress; promoting a fourth, or linking one
    // that would be promoted, is refused.
    let on_hold = server
        .ok(
            &alex,
            Method::POST,
            "/api/goals",
            Some(json!({"coaching_relationship_id": rel, "status": "OnHold", "title": "Waiting"})),
        )
        .await;
    let on_hold_id = on_hold["id"].as_str().unwrap();
    refused(
        &server,
        &alex,
        Method::PUT,
        &format!("/api/goals/{on_hold_id}"),
        Some(json!({"coaching_relationship_id": rel, "status": "InProgress", "title": "Waiting"})),
        StatusCode::CONFLICT,
    )
    .await;
    refused(
        &server,
        &alex,
        Method::POST,
        &format!("/api/coaching_sessions/{}/goals", w.sam_session),
        Some(json!({"goal_id": on_hold_id})),
        StatusCode::CONFLICT,
    )
    .await;
    let second = error["details"]["in_progress_goals"][1]["id"].as_str().unwrap().to_owned();
    server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/goals/{second}"),
            Some(json!({"coaching_relationship_id": rel, "status": "InProgress", "title": "Second, renamed"})),
        )
        .await;

    // A completed goal cannot be linked; completing sets completed_at.
    let done = server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/goals/{second}"),
            Some(json!({"coaching_relationship_id": rel, "status": "Completed", "title": "Second"})),
        )
        .await;
    assert!(done["completed_at"].is_string());
    invalid(
        &server,
        &alex,
        Method::POST,
        &format!("/api/coaching_sessions/{}/goals", w.sam_session),
        json!({"goal_id": second}),
        "completed goal",
    )
    .await;
    // Now there is room: linking the goal on hold promotes it.
    server
        .ok(
            &alex,
            Method::POST,
            &format!("/api/coaching_sessions/{}/goals", w.sam_session),
            Some(json!({"goal_id": on_hold_id})),
        )
        .await;
    let promoted = server.ok(&alex, Method::GET, &format!("/api/goals/{on_hold_id}"), None).await;
    assert_eq!(promoted["status"], "InProgress");
    let linked = server.ok(&alex, Method::GET, &format!("/api/coaching_sessions/{}/goals", w.sam_session), None).await;
    assert!(linked.as_array().unwrap().iter().any(|g| g["id"] == on_hold_id));
    refused(
        &server,
        &alex,
        Method::POST,
        &format!("/api/coaching_sessions/{}/goals", w.sam_session),
        Some(json!({"goal_id": on_hold_id})),
        StatusCode::CONFLICT,
    )
    .await;
}

#[tokio::test]
async fn password_changes_need_the_current_password_and_a_matching_confirmation() {
    let server = TestServer::start().await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let path = format!("/api/users/{sam_id}/password");
    invalid(&server, &sam, Method::PUT, &path, json!({"current_password": DEMO_PASSWORD, "new_password": "long enough 1", "confirm_password": "long enough 2"}), "differ").await;
    invalid(
        &server,
        &sam,
        Method::PUT,
        &path,
        json!({"current_password": DEMO_PASSWORD, "new_password": "short", "confirm_password": "short"}),
        "8 to 128",
    )
    .await;
    invalid(
        &server,
        &sam,
        Method::PUT,
        &path,
        json!({"current_password": "wrong", "new_password": "long enough", "confirm_password": "long enough"}),
        "current password",
    )
    .await;
    // A wrong current password does not end the session.
    assert_eq!(server.get(&sam, &format!("/api/users/{sam_id}")).await.status(), 200);
    let (alex, _) = server.sign_in(COACH).await;
    refused(&server, &alex, Method::PUT, &path, Some(json!({"current_password": DEMO_PASSWORD, "new_password": "long enough", "confirm_password": "long enough"})), StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn notes_and_agreements_reject_oversized_bodies_and_moves() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let s = &w.sam_session;
    invalid(
        &server,
        &sam,
        Method::POST,
        "/api/notes",
        json!({"coaching_session_id": s, "body": "x".repeat(100_001)}),
        "too long",
    )
    .await;
    invalid(
        &server,
        &sam,
        Method::POST,
        "/api/agreements",
        json!({"coaching_session_id": s, "body": "x".repeat(10_001)}),
        "too long",
    )
    .await;
    invalid(
        &server,
        &sam,
        Method::POST,
        "/api/notes",
        json!({"coaching_session_id": "not-a-uuid"}),
        "coaching_session_id",
    )
    .await;
    let note = server.ok(&sam, Method::POST, "/api/notes", Some(json!({"coaching_session_id": s, "body": "n"}))).await;
    let other = server
        .ok(
            &sam,
            Method::GET,
            &format!(
                "/api/coaching_sessions?coaching_relationship_id={}&from_date=2000-01-01&to_date=2100-01-01",
                w.with_sam
            ),
            None,
        )
        .await[1]["id"]
        .clone();
    invalid(
        &server,
        &sam,
        Method::PUT,
        &format!("/api/notes/{}", note["id"].as_str().unwrap()),
        json!({"coaching_session_id": other, "body": "moved"}),
        "another coaching session",
    )
    .await;
}

#[tokio::test]
async fn concurrent_requests_cannot_exceed_the_goal_cap() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    // One goal is in progress in the demo: two places are left, five ask at once.
    let attempts = (0..5).map(|n| {
        let (server, alex, rel) = (&server, &alex, &w.with_sam);
        async move {
            let body = json!({"coaching_relationship_id": rel, "status": "InProgress", "title": format!("Race {n}")});
            server.call(alex, Method::POST, "/api/goals", Some(&body)).await.status()
        }
    });
    let answers = futures_util::future::join_all(attempts).await;
    let created = answers.iter().filter(|s| s.is_success()).count();
    let refused = answers.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((created, refused), (2, 3), "{answers:?}");
}

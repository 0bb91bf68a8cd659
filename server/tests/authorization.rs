//! Authorization of every route: a participant may, the other coach, a stranger and a
//! signed-out visitor may not, and a refused request changes nothing.

mod common;

use common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Only the coach may (session reschedule and delete).
    coach_only: bool,
}

fn case(method: Method, path: impl Into<String>, body: Option<Value>) -> Case {
    Case { method, path: path.into(), body, coach_only: false }
}

#[tokio::test]
async fn every_route_admits_participants_only() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let (other_coach, _) = server.sign_in(OTHER_COACH).await;
    let (stranger, _) = server.sign_in(STRANGER).await;
    let signed_out = server.client();

    // Things of the Alex–Sam relationship to read and write.
    let s = &w.sam_session;
    let action = server
        .ok(&alex, Method::POST, "/api/actions", Some(json!({"coaching_session_id": s, "status": "NotStarted"})))
        .await["id"]
        .clone();
    let agreement = server
        .ok(&alex, Method::POST, "/api/agreements", Some(json!({"coaching_session_id": s, "body": "x"})))
        .await["id"]
        .clone();
    let goal = server
        .ok(
            &alex,
            Method::POST,
            "/api/goals",
            Some(json!({"coaching_relationship_id": w.with_sam, "status": "OnHold", "title": "g"})),
        )
        .await["id"]
        .clone();
    let note = server.ok(&alex, Method::POST, "/api/notes", Some(json!({"coaching_session_id": s, "body": "n"}))).await
        ["id"]
        .clone();
    let spare = server
        .ok(
            &alex,
            Method::POST,
            "/api/coaching_sessions",
            Some(json!({"coaching_relationship_id": w.with_sam, "date": "2031-05-05T09:00:00"})),
        )
        .await["id"]
        .clone();
    let (action, agreement, goal, note, spare) = (
        action.as_str().unwrap(),
        agreement.as_str().unwrap(),
        goal.as_str().unwrap(),
        note.as_str().unwrap(),
        spare.as_str().unwrap(),
    );

    let cases = vec![
        case(
            Method::GET,
            format!(
                "/api/coaching_sessions?coaching_relationship_id={}&from_date=2000-01-01&to_date=2100-01-01",
                w.with_sam
            ),
            None,
        ),
        case(Method::GET, format!("/api/coaching_sessions/{s}"), None),
        case(
            Method::POST,
            "/api/coaching_sessions",
            Some(json!({"coaching_relationship_id": w.with_sam, "date": "2031-01-01T09:00:00"})),
        ),
        Case {
            coach_only: true,
            ..case(Method::PUT, format!("/api/coaching_sessions/{spare}"), Some(json!({"date": "2031-05-06T09:00:00"})))
        },
        case(Method::PATCH, format!("/api/coaching_sessions/{s}/title"), Some(json!({"title": "t"}))),
        case(Method::GET, format!("/api/coaching_sessions/{s}/goals"), None),
        case(Method::POST, format!("/api/coaching_sessions/{s}/goals"), Some(json!({"goal_id": goal}))),
        case(Method::DELETE, format!("/api/coaching_sessions/{s}/goals/{goal}"), None),
        case(Method::GET, format!("/api/actions?coaching_session_id={s}"), None),
        case(Method::POST, "/api/actions", Some(json!({"coaching_session_id": s, "status": "InProgress"}))),
        case(Method::GET, format!("/api/actions/{action}"), None),
        case(
            Method::PUT,
            format!("/api/actions/{action}"),
            Some(json!({"coaching_session_id": s, "status": "Completed"})),
        ),
        case(Method::GET, format!("/api/agreements?coaching_session_id={s}"), None),
        case(Method::POST, "/api/agreements", Some(json!({"coaching_session_id": s, "body": "b"}))),
        case(Method::GET, format!("/api/agreements/{agreement}"), None),
        case(Method::PUT, format!("/api/agreements/{agreement}"), Some(json!({"coaching_session_id": s, "body": "c"}))),
        case(Method::GET, format!("/api/goals?coaching_relationship_id={}", w.with_sam), None),
        case(Method::POST, "/api/goals", Some(json!({"coaching_relationship_id": w.with_sam, "status": "NotStarted"}))),
        case(Method::GET, format!("/api/goals/{goal}"), None),
        case(
            Method::PUT,
            format!("/api/goals/{goal}"),
            Some(json!({"coaching_relationship_id": w.with_sam, "status": "OnHold", "title": "h"})),
        ),
        case(Method::GET, format!("/api/notes?coaching_session_id={s}"), None),
        case(Method::POST, "/api/notes", Some(json!({"coaching_session_id": s, "body": "m"}))),
        case(Method::GET, format!("/api/notes/{note}"), None),
        case(Method::PUT, format!("/api/notes/{note}"), Some(json!({"coaching_session_id": s, "body": "o"}))),
        case(Method::GET, format!("/api/users/{}/actions", w.sam_id), None),
        case(Method::DELETE, format!("/api/actions/{action}"), None),
        case(Method::DELETE, format!("/api/agreements/{agreement}"), None),
        case(Method::DELETE, format!("/api/goals/{goal}"), None),
        Case { coach_only: true, ..case(Method::DELETE, format!("/api/coaching_sessions/{spare}"), None) },
    ];

    for case in &cases {
        let before = server.snapshot().await;
        let refusals: [(&Client, StatusCode, &str); 3] = [
            (&signed_out, StatusCode::UNAUTHORIZED, "signed out"),
            (&stranger, StatusCode::FORBIDDEN, "stranger"),
            (&other_coach, StatusCode::FORBIDDEN, "other coach"),
        ];
        for (client, expected, who) in refusals {
            let response = server.call(client, case.method.clone(), &case.path, case.body.as_ref()).await;
            assert_eq!(response.status(), expected, "{who}: {} {}", case.method, case.path);
        }
        if case.coach_only {
            let response = server.call(&sam, case.method.clone(), &case.path, case.body.as_ref()).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "coachee: {} {}", case.method, case.path);
        }
        // Logins are recorded by sign-in, not by these requests; everything else is unchanged.
        assert_eq!(server.snapshot().await, before, "a refused {} {} changed the database", case.method, case.path);
        let participant = if case.coach_only { &alex } else { &sam };
        let response = server.call(participant, case.method.clone(), &case.path, case.body.as_ref()).await;
        assert!(response.status().is_success(), "participant: {} {} -> {}", case.method, case.path, response.status());
    }
}

#[tokio::test]
async fn a_coach_reads_their_coachees_actions_but_not_others() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let (other_coach, _) = server.sign_in(OTHER_COACH).await;
    let (jordan, _) = server.sign_in(JORDAN).await;
    let sams = server.ok(&alex, Method::GET, &format!("/api/users/{}/actions", w.sam_id), None).await;
    assert!(!sams.as_array().unwrap().is_empty());
    assert_eq!(server.get(&other_coach, &format!("/api/users/{}/actions", w.sam_id)).await.status(), 403);
    let (olive, _) = server.sign_in(OLIVE).await;
    assert_eq!(server.get(&olive, &format!("/api/users/{}/actions", w.sam_id)).await.status(), 403);
    // Jordan coaches Sam in another organization of the demo: only the actions of that
    // relationship (none yet), never those of Sam's sessions with Alex.
    let seen_by_jordan = server.ok(&jordan, Method::GET, &format!("/api/users/{}/actions", w.sam_id), None).await;
    assert_eq!(seen_by_jordan, json!([]), "Jordan saw actions of a relationship he is not in");
    // Filters narrow the list.
    let in_progress =
        server.ok(&alex, Method::GET, &format!("/api/users/{}/actions?status=InProgress", w.sam_id), None).await;
    assert!(in_progress.as_array().unwrap().iter().all(|a| a["status"] == "InProgress"));
    let other_rel = server
        .ok(
            &alex,
            Method::GET,
            &format!("/api/users/{}/actions?coaching_relationship_id={}", w.sam_id, w.with_jordan),
            None,
        )
        .await;
    assert_eq!(other_rel, json!([]));
}

#[tokio::test]
async fn unknown_ids_are_404_for_a_participant() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let nobody = uuid::Uuid::new_v4();
    for path in [
        format!("/api/coaching_sessions/{nobody}"),
        format!("/api/coaching_sessions/{nobody}/goals"),
        format!("/api/actions/{nobody}"),
        format!("/api/agreements/{nobody}"),
        format!("/api/goals/{nobody}"),
        format!("/api/notes/{nobody}"),
        format!("/api/actions?coaching_session_id={nobody}"),
        format!("/api/goals?coaching_relationship_id={nobody}"),
    ] {
        let response = server.get(&sam, &path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(response.text().await.unwrap(), "NOT FOUND");
    }
    let unlink = server
        .call(&sam, Method::DELETE, &format!("/api/coaching_sessions/{}/goals/{nobody}", w.sam_session), None)
        .await;
    assert_eq!(unlink.status(), StatusCode::NOT_FOUND);
    let delete = server.call(&sam, Method::DELETE, &format!("/api/actions/{nobody}"), None).await;
    assert_eq!(delete.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_member_who_leaves_the_organization_loses_access_and_events() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let (alex, _) = server.sign_in(COACH).await;
    let mut sam_events = server.events(&sam).await;
    let mut alex_events = server.events(&alex).await;
    assert_eq!(server.get(&sam, &format!("/api/coaching_sessions/{}", w.sam_session)).await.status(), 200);
    server.execute("DELETE FROM organization_members WHERE user_id = $1", &w.sam_id).await;
    assert_eq!(server.get(&sam, &format!("/api/coaching_sessions/{}", w.sam_session)).await.status(), 403);
    server
        .ok(
            &alex,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": w.sam_session, "body": "after"})),
        )
        .await;
    alex_events.expect("agreement_created").await;
    server.assert_received_nothing(SAM, &mut sam_events, &w.sam_id).await;
}

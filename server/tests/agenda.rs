//! The session as coaches run it (issue 24): the agenda's topics with their entity events,
//! order, priority, deferral and undo; what is new since one's last visit; a goal's progress;
//! and undo of deleted actions, agreements and goals with the same id and links.

mod common;

use chrono::{Duration, Utc};
use common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

/// A session of `relationship` `days` ahead (whole seconds, as the web app sends them).
async fn schedule(server: &TestServer, coach: &Client, relationship: &str, days: i64) -> String {
    let date = (Utc::now() + Duration::days(days)).format("%Y-%m-%dT%H:%M:%S").to_string();
    let body = json!({"coaching_relationship_id": relationship, "date": date, "duration_minutes": 45});
    let session = server.ok(coach, Method::POST, "/api/coaching_sessions", Some(body)).await;
    session["id"].as_str().unwrap().to_owned()
}

fn topics_of(session: &str) -> String {
    format!("/api/coaching_sessions/{session}/topics")
}

async fn add_topic(server: &TestServer, client: &Client, session: &str, body: Value) -> Value {
    server.ok(client, Method::POST, &topics_of(session), Some(body)).await
}

async fn agenda(server: &TestServer, client: &Client, session: &str) -> Vec<String> {
    let list = server.ok(client, Method::GET, &topics_of(session), None).await;
    list.as_array().unwrap().iter().map(|topic| topic["body"].as_str().unwrap().to_owned()).collect()
}

fn id(value: &Value) -> &str {
    value["id"].as_str().unwrap()
}

/// Sends a write and checks it is refused with `status`, changing nothing.
async fn refused(
    server: &TestServer,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) {
    let before = server.snapshot().await;
    let answer = server.call(client, method, path, body.as_ref()).await;
    assert_eq!(answer.status(), status, "{path}: {}", answer.text().await.unwrap());
    assert_eq!(server.snapshot().await, before, "{path}: a refusal changes nothing");
}

#[tokio::test]
async fn topics_reach_the_other_person_as_entities_in_order() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let session = schedule(&server, &coach, &w.with_sam, 1).await;
    let mut coach_stream = server.events(&coach).await;

    // Sam adds three topics, rating one; the coach's stream carries each whole.
    let first = add_topic(&server, &sam, &session, json!({"body": "Delegation"})).await;
    let second = add_topic(&server, &sam, &session, json!({"body": "Hiring", "priority": "High"})).await;
    let third = add_topic(&server, &sam, &session, json!({"body": "Feedback"})).await;
    for topic in [&first, &second, &third] {
        let event = coach_stream.expect("topic_created").await.json();
        assert_eq!(event["data"]["topic"], *topic);
        assert_eq!(event["data"]["coaching_session_id"], session.as_str());
    }
    assert_eq!(second["priority"], "High");
    assert_eq!(first["user_id"], sam_id.as_str());
    assert_eq!(agenda(&server, &coach, &session).await, ["Delegation", "Hiring", "Feedback"]);

    // Sam rates another; only the coachee rates.
    let path = format!("{}/{}/rating", topics_of(&session), id(&first));
    let rated = server.ok(&sam, Method::PATCH, &path, Some(json!({"priority": "Low"}))).await;
    assert_eq!(rated["priority"], "Low");
    assert_eq!(coach_stream.expect("topic_updated").await.json()["data"]["topic"], rated);
    refused(&server, &coach, Method::PATCH, &path, Some(json!({"priority": "High"})), StatusCode::FORBIDDEN).await;
    let with_priority = json!({"body": "Mine", "priority": "Low"});
    refused(&server, &coach, Method::POST, &topics_of(&session), Some(with_priority), StatusCode::FORBIDDEN).await;

    // The coach reorders; Sam's stream carries the order, and the agenda follows.
    let mut sam_stream = server.events(&sam).await;
    let order = json!({"ordered_ids": [id(&third), id(&first), id(&second)]});
    let reorder = format!("{}/reorder", topics_of(&session));
    server.ok(&coach, Method::PATCH, &reorder, Some(order.clone())).await;
    let event = sam_stream.expect("topics_reordered").await.json();
    assert_eq!(event["data"]["ordered_ids"], order["ordered_ids"]);
    assert_eq!(agenda(&server, &sam, &session).await, ["Feedback", "Delegation", "Hiring"]);
    coach_stream.expect("topics_reordered").await;

    // An order with an unknown, a missing or a repeated id is refused, changing nothing.
    let unknown = uuid::Uuid::new_v4().to_string();
    for ids in [
        json!([id(&third), id(&first), unknown]),
        json!([id(&third), id(&first)]),
        json!([id(&third), id(&first), id(&first)]),
        json!([id(&third), id(&first), id(&second), unknown]),
    ] {
        refused(
            &server,
            &coach,
            Method::PATCH,
            &reorder,
            Some(json!({"ordered_ids": ids})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    refused(&server, &coach, Method::PATCH, &reorder, Some(json!({"ids": []})), StatusCode::UNPROCESSABLE_ENTITY).await;

    // Bad topics: empty, too long, unknown fields.
    for body in [json!({"body": "  "}), json!({"body": "x".repeat(1001)}), json!({"body": "ok", "colour": "red"})] {
        refused(&server, &sam, Method::POST, &topics_of(&session), Some(body), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Edits of the body, and a status.
    let edit = format!("{}/{}", topics_of(&session), id(&third));
    let edited = server.ok(&coach, Method::PUT, &edit, Some(json!({"body": "Feedback, both ways"}))).await;
    assert_eq!(sam_stream.expect("topic_updated").await.json()["data"]["topic"], edited);
    coach_stream.expect("topic_updated").await;
    let status = format!("{edit}/status");
    let discussed = server.ok(&sam, Method::PATCH, &status, Some(json!({"status": "Discussed"}))).await;
    assert_eq!(discussed["status"], "Discussed");
    assert_eq!(coach_stream.expect("topic_updated").await.json()["data"]["topic"], discussed);
    refused(&server, &sam, Method::PATCH, &status, Some(json!({"status": "Done"})), StatusCode::UNPROCESSABLE_ENTITY)
        .await;
}

#[tokio::test]
async fn deleting_and_deferring_a_topic_can_be_undone_and_both_screens_follow() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    // Beyond the demo's sessions, so that `next` is the one after `session`.
    let session = schedule(&server, &coach, &w.with_sam, 400).await;
    let next = schedule(&server, &coach, &w.with_sam, 407).await;
    let mine = add_topic(&server, &sam, &session, json!({"body": "Delegation"})).await;
    let coachs = add_topic(&server, &coach, &session, json!({"body": "Hiring"})).await;
    add_topic(&server, &sam, &session, json!({"body": "Feedback"})).await;
    let mut sam_stream = server.events(&sam).await;
    let mut coach_stream = server.events(&coach).await;

    // A coachee deletes only their own topics; the coach any.
    let coachs_path = format!("{}/{}", topics_of(&session), id(&coachs));
    refused(&server, &sam, Method::DELETE, &coachs_path, None, StatusCode::FORBIDDEN).await;
    let mine_path = format!("{}/{}", topics_of(&session), id(&mine));
    server.ok(&coach, Method::DELETE, &mine_path, None).await;
    let event = sam_stream.expect("topic_deleted").await.json();
    assert_eq!(event["data"]["topic_id"], id(&mine));
    assert_eq!(agenda(&server, &sam, &session).await, ["Hiring", "Feedback"]);
    // Gone for edits while deleted.
    refused(&server, &sam, Method::PUT, &mine_path, Some(json!({"body": "x"})), StatusCode::NOT_FOUND).await;
    // Undo brings it back in its place, for both.
    let restored = server.ok(&coach, Method::POST, &format!("{mine_path}/undo"), None).await;
    assert_eq!(restored["id"], mine["id"]);
    assert_eq!(sam_stream.expect("topic_created").await.json()["data"]["topic"], restored);
    assert_eq!(agenda(&server, &sam, &session).await, ["Delegation", "Hiring", "Feedback"]);
    // Nothing left to undo.
    refused(&server, &coach, Method::POST, &format!("{mine_path}/undo"), None, StatusCode::CONFLICT).await;
    coach_stream.expect("topic_deleted").await;
    coach_stream.expect("topic_created").await;

    // Deferring moves it to the relationship's next session.
    let deferred =
        server.ok(&sam, Method::PATCH, &format!("{mine_path}/status"), Some(json!({"status": "Deferred"}))).await;
    assert_eq!(deferred["coaching_session_id"], next.as_str());
    assert_eq!(deferred["moved_from_session_id"], session.as_str());
    assert_eq!(deferred["status"], "Open");
    let gone = coach_stream.expect("topic_deleted").await.json();
    assert_eq!(gone["data"]["coaching_session_id"], session.as_str());
    let arrived = coach_stream.expect("topic_created").await.json();
    assert_eq!(arrived["data"]["coaching_session_id"], next.as_str());
    assert_eq!(agenda(&server, &coach, &session).await, ["Hiring", "Feedback"]);
    assert_eq!(agenda(&server, &coach, &next).await, ["Delegation"]);
    // Its old address is no more; undo at its new one moves it back.
    refused(&server, &sam, Method::POST, &format!("{mine_path}/undo"), None, StatusCode::NOT_FOUND).await;
    let moved_path = format!("{}/{}", topics_of(&next), id(&mine));
    let back = server.ok(&coach, Method::POST, &format!("{moved_path}/undo"), None).await;
    assert_eq!(back["coaching_session_id"], session.as_str());
    assert_eq!(back["moved_from_session_id"], Value::Null);
    assert_eq!(sam_stream.expect("topic_deleted").await.json()["data"]["coaching_session_id"], session.as_str());
    sam_stream.expect("topic_created").await;
    sam_stream.expect("topic_deleted").await;
    assert_eq!(sam_stream.expect("topic_created").await.json()["data"]["topic"], back);
    assert!(agenda(&server, &sam, &session).await.contains(&"Delegation".to_owned()));
    assert!(agenda(&server, &sam, &next).await.is_empty());

    // From the relationship's last session there is nowhere to defer to: a clear 409.
    let last = add_topic(&server, &sam, &next, json!({"body": "Later"})).await;
    let last_status = format!("{}/{}/status", topics_of(&next), id(&last));
    let before = server.snapshot().await;
    let answer = server.call(&sam, Method::PATCH, &last_status, Some(&json!({"status": "Deferred"}))).await;
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    let refusal: Value = answer.json().await.unwrap();
    assert!(refusal["message"].as_str().unwrap().contains("no later session"), "{refusal}");
    assert_eq!(server.snapshot().await, before);
}

#[tokio::test]
async fn topics_are_for_participants_and_locked_after_the_sessions_day() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (olive, _) = server.sign_in(OLIVE).await;
    let (stranger, _) = server.sign_in(STRANGER).await;
    let session = schedule(&server, &coach, &w.with_sam, 1).await;
    let topic = add_topic(&server, &coach, &session, json!({"body": "Delegation"})).await;
    let one = format!("{}/{}", topics_of(&session), id(&topic));
    for outsider in [&olive, &stranger] {
        let read = server.call(outsider, Method::GET, &topics_of(&session), None).await;
        assert_eq!(read.status(), StatusCode::FORBIDDEN);
        assert_eq!(server.call(outsider, Method::GET, &one, None).await.status(), StatusCode::FORBIDDEN);
        let writes = [
            (Method::POST, topics_of(&session), Some(json!({"body": "x"}))),
            (Method::PUT, one.clone(), Some(json!({"body": "x"}))),
            (Method::DELETE, one.clone(), None),
            (Method::PATCH, format!("{one}/status"), Some(json!({"status": "Discussed"}))),
            (Method::PATCH, format!("{one}/rating"), Some(json!({"priority": "Low"}))),
            (Method::POST, format!("{one}/undo"), None),
            (Method::PATCH, format!("{}/reorder", topics_of(&session)), Some(json!({"ordered_ids": [id(&topic)]}))),
            (Method::POST, format!("/api/coaching_sessions/{session}/view"), None),
        ];
        for (method, path, body) in writes {
            refused(&server, outsider, method, &path, body, StatusCode::FORBIDDEN).await;
        }
    }
    // Unknown sessions and topics, and a topic named under another session: 404.
    let unknown = uuid::Uuid::new_v4();
    refused(&server, &coach, Method::GET, &topics_of(&unknown.to_string()), None, StatusCode::NOT_FOUND).await;
    let elsewhere = format!("{}/{}", topics_of(&w.sam_session), id(&topic));
    refused(&server, &coach, Method::PUT, &elsewhere, Some(json!({"body": "x"})), StatusCode::NOT_FOUND).await;
    let missing = format!("{}/{unknown}", topics_of(&session));
    refused(&server, &coach, Method::DELETE, &missing, None, StatusCode::NOT_FOUND).await;
    // The demo's past session takes no new topics.
    let past = topics_of(&w.sam_session);
    refused(&server, &coach, Method::POST, &past, Some(json!({"body": "Too late"})), StatusCode::CONFLICT).await;
}

#[tokio::test]
async fn opening_a_session_says_what_the_other_person_changed_since_the_last_visit() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let session = schedule(&server, &coach, &w.with_sam, 1).await;
    let view = format!("/api/coaching_sessions/{session}/view");
    let first = server.ok(&coach, Method::POST, &view, None).await;
    assert_eq!(first["previous_last_viewed_at"], Value::Null);
    assert!(first.get("changed_by_others").is_none());

    let sams_topic = add_topic(&server, &sam, &session, json!({"body": "Delegation"})).await;
    add_topic(&server, &coach, &session, json!({"body": "The coach's own"})).await;
    let agreement = json!({"coaching_session_id": session, "body": "Weekly check-in"});
    let sams_agreement = server.ok(&sam, Method::POST, "/api/agreements", Some(agreement)).await;
    let action =
        json!({"coaching_session_id": session, "status": "NotStarted", "body": "Draft", "assignee_ids": [sam_id]});
    let sams_action = server.ok(&sam, Method::POST, "/api/actions", Some(action)).await;

    let second = server.ok(&coach, Method::POST, &view, None).await;
    assert_eq!(second["previous_last_viewed_at"], first["last_viewed_at"]);
    let changed = &second["changed_by_others"];
    assert_eq!(changed["topics"], json!([id(&sams_topic)]), "only the other person's changes");
    assert_eq!(changed["agreements"], json!([id(&sams_agreement)]));
    assert_eq!(changed["actions"], json!([id(&sams_action)]));
    assert_eq!(changed["notes"], false);
    // Seen now: the next visit has nothing new.
    let third = server.ok(&coach, Method::POST, &view, None).await;
    assert_eq!(third["changed_by_others"], json!({"topics": [], "agreements": [], "actions": [], "notes": false}));
    // Sam's own first visit.
    assert_eq!(server.ok(&sam, Method::POST, &view, None).await["previous_last_viewed_at"], Value::Null);
}

#[tokio::test]
async fn a_goals_progress_counts_its_actions_and_sessions() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (stranger, _) = server.sign_in(STRANGER).await;
    let goal = json!({"coaching_relationship_id": w.with_sam, "status": "NotStarted", "title": "Delegate more"});
    let goal = server.ok(&coach, Method::POST, "/api/goals", Some(goal)).await;
    let progress = format!("/api/goals/{}/progress", id(&goal));
    let empty = server.ok(&coach, Method::GET, &progress, None).await;
    assert_eq!(empty["actions_total"], 0);
    assert_eq!(empty["progress"], "SolidMomentum");

    let link = json!({"goal_id": id(&goal)});
    server.ok(&coach, Method::POST, &format!("/api/coaching_sessions/{}/goals", w.sam_session), Some(link)).await;
    let overdue = (Utc::now() - Duration::days(2)).to_rfc3339();
    let later = (Utc::now() + Duration::days(5)).to_rfc3339();
    for (status, due) in [("Completed", overdue.clone()), ("NotStarted", overdue), ("InProgress", later)] {
        let action = json!({"coaching_session_id": w.sam_session, "goal_id": id(&goal), "status": status,
            "body": "step", "due_by": due});
        server.ok(&coach, Method::POST, "/api/actions", Some(action)).await;
    }
    let metrics = server.ok(&coach, Method::GET, &progress, None).await;
    assert_eq!(metrics["actions_total"], 3);
    assert_eq!(metrics["actions_completed"], 1);
    assert_eq!(metrics["linked_coaching_session_count"], 1);
    assert_eq!(metrics["progress"], "LetsRefocus", "one of two open actions is overdue: {metrics}");
    assert!(metrics["next_action_due"].is_string());
    assert!(metrics["last_coaching_session_date"].is_string());

    assert_eq!(server.call(&stranger, Method::GET, &progress, None).await.status(), StatusCode::FORBIDDEN);
    let unknown = format!("/api/goals/{}/progress", uuid::Uuid::new_v4());
    assert_eq!(server.call(&coach, Method::GET, &unknown, None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn undo_restores_a_deleted_item_with_its_id_links_and_the_other_persons_change() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let (stranger, _) = server.sign_in(STRANGER).await;
    let s = &w.sam_session;
    let goal = json!({"coaching_relationship_id": w.with_sam, "status": "NotStarted", "title": "Delegate more"});
    let goal = server.ok(&coach, Method::POST, "/api/goals", Some(goal)).await;
    server
        .ok(&coach, Method::POST, &format!("/api/coaching_sessions/{s}/goals"), Some(json!({"goal_id": id(&goal)})))
        .await;
    let action = json!({"coaching_session_id": s, "status": "NotStarted", "body": "Draft", "goal_id": id(&goal),
        "assignee_ids": [sam_id]});
    let action = server.ok(&coach, Method::POST, "/api/actions", Some(action)).await;
    let agreement = server
        .ok(&coach, Method::POST, "/api/agreements", Some(json!({"coaching_session_id": s, "body": "Weekly"})))
        .await;
    // Sam changes the agreement before the coach deletes it: undo keeps Sam's words.
    let agreement_path = format!("/api/agreements/{}", id(&agreement));
    server
        .ok(&sam, Method::PUT, &agreement_path, Some(json!({"coaching_session_id": s, "body": "Every Monday"})))
        .await;
    let mut sam_stream = server.events(&sam).await;

    server.ok(&coach, Method::DELETE, &agreement_path, None).await;
    sam_stream.expect("agreement_deleted").await;
    refused(&server, &stranger, Method::POST, &format!("{agreement_path}/restore"), None, StatusCode::FORBIDDEN).await;
    let restored = server.ok(&coach, Method::POST, &format!("{agreement_path}/restore"), None).await;
    assert_eq!(restored["id"], agreement["id"]);
    assert_eq!(restored["body"], "Every Monday");
    assert_eq!(sam_stream.expect("agreement_created").await.json()["data"]["agreement"], restored);
    refused(&server, &coach, Method::POST, &format!("{agreement_path}/restore"), None, StatusCode::NOT_FOUND).await;

    let action_path = format!("/api/actions/{}", id(&action));
    server.ok(&coach, Method::DELETE, &action_path, None).await;
    sam_stream.expect("action_deleted").await;
    let restored = server.ok(&sam, Method::POST, &format!("{action_path}/restore"), None).await;
    assert_eq!(restored["id"], action["id"]);
    assert_eq!(restored["assignee_ids"], json!([sam_id]));
    assert_eq!(restored["goal_id"], goal["id"]);
    sam_stream.expect("action_created").await;

    // A goal comes back with its session link and its actions pointing at it again.
    let goal_path = format!("/api/goals/{}", id(&goal));
    server.ok(&coach, Method::DELETE, &goal_path, None).await;
    sam_stream.expect("goal_deleted").await;
    assert_eq!(server.ok(&coach, Method::GET, &action_path, None).await["goal_id"], Value::Null);
    let restored = server.ok(&coach, Method::POST, &format!("{goal_path}/restore"), None).await;
    assert_eq!(restored["id"], goal["id"]);
    assert_eq!(restored["title"], "Delegate more");
    sam_stream.expect("goal_created").await;
    sam_stream.expect("coaching_session_goal_created").await;
    assert_eq!(sam_stream.expect("action_updated").await.json()["data"]["action"]["goal_id"], goal["id"]);
    let linked = server.ok(&coach, Method::GET, &format!("/api/coaching_sessions/{s}/goals"), None).await;
    assert!(linked.as_array().unwrap().iter().any(|g| g["id"] == goal["id"]));
    assert_eq!(server.ok(&coach, Method::GET, &action_path, None).await["goal_id"], goal["id"]);

    // Never deleted, or unknown: nothing to restore.
    let unknown = format!("/api/goals/{}/restore", uuid::Uuid::new_v4());
    refused(&server, &coach, Method::POST, &unknown, None, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn a_goal_in_progress_comes_back_only_while_fewer_than_three_are() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let in_progress = format!("/api/goals?coaching_relationship_id={}&status=InProgress", w.with_sam);
    let already = server.ok(&coach, Method::GET, &in_progress, None).await.as_array().unwrap().len();
    let mut goals = Vec::new();
    for title in ["One", "Two", "Three"].into_iter().skip(already) {
        let goal = json!({"coaching_relationship_id": w.with_sam, "status": "InProgress", "title": title});
        goals.push(server.ok(&coach, Method::POST, "/api/goals", Some(goal)).await);
    }
    let first = format!("/api/goals/{}", id(&goals[0]));
    server.ok(&coach, Method::DELETE, &first, None).await;
    let fourth = json!({"coaching_relationship_id": w.with_sam, "status": "InProgress", "title": "Four"});
    let fourth = server.ok(&coach, Method::POST, "/api/goals", Some(fourth)).await;
    refused(&server, &coach, Method::POST, &format!("{first}/restore"), None, StatusCode::CONFLICT).await;
    // Once one is on hold, it comes back.
    let hold = json!({"coaching_relationship_id": w.with_sam, "status": "OnHold", "title": "Four"});
    server.ok(&coach, Method::PUT, &format!("/api/goals/{}", id(&fourth)), Some(hold)).await;
    let restored = server.ok(&coach, Method::POST, &format!("{first}/restore"), None).await;
    assert_eq!(restored["status"], "InProgress");
}

//! The live event stream over a real port: who gets which event, replay, resync,
//! keep-alive, force_logout, and connections leaving the registry.

mod common;

use std::time::Duration;

use common::sse::SseClient;
use common::*;
use reqwest::Method;
use serde_json::json;

async fn id_of(server: &TestServer, email: &str) -> (reqwest::Client, String) {
    server.sign_in(email).await
}

#[tokio::test]
async fn every_write_reaches_both_participants_and_no_one_else() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut alex_events = server.events(&alex).await;
    let mut sam_events = server.events(&sam).await;
    // Everyone else, each with their own stream.
    let mut others = Vec::new();
    for email in [JORDAN, OTHER_COACH, OLIVE, STRANGER] {
        let (client, id) = id_of(&server, email).await;
        let stream = server.events(&client).await;
        others.push((email, id, client, stream));
    }

    // Each write by the coach (the actor gets its own event) or the coachee, with the event
    // both must see and a check of its payload.
    let session = world.sam_session.clone();
    let rel = world.with_sam.clone();
    let mut expect_both = async |name: &str, check: &dyn Fn(&serde_json::Value)| {
        for stream in [&mut alex_events, &mut sam_events] {
            let frame = stream.expect(name).await;
            check(&frame.json()["data"]);
        }
    };

    let created = server
        .ok(
            &alex,
            Method::POST,
            "/api/coaching_sessions",
            Some(json!({"coaching_relationship_id": rel, "date": "2030-01-02T10:00:00"})),
        )
        .await;
    let new_session = created["id"].as_str().unwrap().to_owned();
    expect_both("coaching_session_created", &|d| {
        assert_eq!(d["coaching_session_id"], new_session.as_str());
        assert_eq!(d["coaching_relationship_id"], rel.as_str());
        // [extension] The session as it now is, so clients need no request.
        assert_eq!(d["coaching_session"]["date"], "2030-01-02T10:00:00");
    })
    .await;
    server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/coaching_sessions/{new_session}"),
            Some(json!({"date": "2030-01-03T10:00:00", "duration_minutes": 30})),
        )
        .await;
    expect_both("coaching_session_updated", &|d| {
        assert_eq!(d["coaching_session_id"], new_session.as_str());
        assert_eq!(d["coaching_session"]["date"], "2030-01-03T10:00:00");
        assert_eq!(d["coaching_session"]["duration_minutes"], 30);
    })
    .await;
    server
        .ok(&sam, Method::PATCH, &format!("/api/coaching_sessions/{session}/title"), Some(json!({"title": "Renamed"})))
        .await;
    expect_both("coaching_session_title_updated", &|d| {
        assert_eq!(d["coaching_session_id"], session.as_str());
        // [extension] The session as it now is, so clients need no request.
        assert_eq!(d["coaching_session"]["title"], "Renamed");
    })
    .await;

    let action = server
        .ok(&sam, Method::POST, "/api/actions", Some(json!({"coaching_session_id": session, "status": "NotStarted", "body": "Call Kim", "assignee_ids": [world.sam_id]})))
        .await;
    let action_id = action["id"].as_str().unwrap().to_owned();
    expect_both("action_created", &|d| {
        assert_eq!(d["coaching_session_id"], session.as_str());
        assert_eq!(d["action"]["body"], "Call Kim");
    })
    .await;
    server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/actions/{action_id}"),
            Some(json!({"coaching_session_id": session, "status": "Completed", "body": "Call Kim"})),
        )
        .await;
    expect_both("action_updated", &|d| assert_eq!(d["action"]["status"], "Completed")).await;
    server.ok(&alex, Method::DELETE, &format!("/api/actions/{action_id}"), None).await;
    expect_both("action_deleted", &|d| assert_eq!(d["action_id"], action_id.as_str())).await;

    let agreement = server
        .ok(
            &alex,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": session, "body": "Weekly check-in"})),
        )
        .await;
    let agreement_id = agreement["id"].as_str().unwrap().to_owned();
    expect_both("agreement_created", &|d| assert_eq!(d["agreement"]["body"], "Weekly check-in")).await;
    server
        .ok(
            &sam,
            Method::PUT,
            &format!("/api/agreements/{agreement_id}"),
            Some(json!({"coaching_session_id": session, "body": "Biweekly"})),
        )
        .await;
    expect_both("agreement_updated", &|d| assert_eq!(d["agreement"]["body"], "Biweekly")).await;
    server.ok(&sam, Method::DELETE, &format!("/api/agreements/{agreement_id}"), None).await;
    expect_both("agreement_deleted", &|d| assert_eq!(d["agreement_id"], agreement_id.as_str())).await;

    let goal = server
        .ok(
            &alex,
            Method::POST,
            "/api/goals",
            Some(json!({"coaching_relationship_id": rel, "status": "NotStarted", "title": "Run a workshop"})),
        )
        .await;
    let goal_id = goal["id"].as_str().unwrap().to_owned();
    expect_both("goal_created", &|d| assert_eq!(d["coaching_relationship_id"], rel.as_str())).await;
    server
        .ok(&sam, Method::POST, &format!("/api/coaching_sessions/{session}/goals"), Some(json!({"goal_id": goal_id})))
        .await;
    expect_both("coaching_session_goal_created", &|d| {
        assert_eq!(d["goal_id"], goal_id.as_str());
        assert_eq!(d["coaching_session_id"], session.as_str());
    })
    .await;
    // Linking a goal that had not started puts it in progress, and says so.
    expect_both("goal_updated", &|d| assert_eq!(d["goal"]["status"], "InProgress")).await;
    server.ok(&sam, Method::DELETE, &format!("/api/coaching_sessions/{session}/goals/{goal_id}"), None).await;
    expect_both("coaching_session_goal_deleted", &|d| assert_eq!(d["goal_id"], goal_id.as_str())).await;
    server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/goals/{goal_id}"),
            Some(json!({"coaching_relationship_id": rel, "status": "OnHold", "title": "Run a workshop"})),
        )
        .await;
    expect_both("goal_updated", &|d| assert_eq!(d["goal"]["status"], "OnHold")).await;
    server.ok(&alex, Method::DELETE, &format!("/api/goals/{goal_id}"), None).await;
    expect_both("goal_deleted", &|d| assert_eq!(d["goal_id"], goal_id.as_str())).await;

    let note = server
        .ok(&sam, Method::POST, "/api/notes", Some(json!({"coaching_session_id": session, "body": "First thoughts"})))
        .await;
    let note_id = note["id"].as_str().unwrap().to_owned();
    expect_both("note_created", &|d| assert_eq!(d["note"]["body"], "First thoughts")).await;
    server
        .ok(
            &alex,
            Method::PUT,
            &format!("/api/notes/{note_id}"),
            Some(json!({"coaching_session_id": session, "body": "More"})),
        )
        .await;
    expect_both("note_updated", &|d| assert_eq!(d["note"]["body"], "More")).await;

    server.ok(&alex, Method::DELETE, &format!("/api/coaching_sessions/{new_session}"), None).await;
    expect_both("coaching_session_deleted", &|d| assert_eq!(d["coaching_session_id"], new_session.as_str())).await;

    // Jordan (the same coach's other coachee), the other coach and coachee, and a stranger
    // saw none of it.
    for (email, id, _client, stream) in &mut others {
        server.assert_received_nothing(email, stream, id).await;
    }
}

#[tokio::test]
async fn the_stream_starts_with_retry_and_ids_increase() {
    let server = TestServer::start_with(|c| c.sse_retry_ms = 2500).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut events = server.events(&sam).await;
    let first = events.next_frame_within(Duration::from_secs(5)).await.unwrap();
    assert_eq!(first.retry, Some(2500));
    for body in ["one", "two", "three"] {
        server
            .ok(
                &sam,
                Method::POST,
                "/api/agreements",
                Some(json!({"coaching_session_id": world.sam_session, "body": body})),
            )
            .await;
    }
    let ids: Vec<u64> = [
        events.expect("agreement_created").await,
        events.expect("agreement_created").await,
        events.expect("agreement_created").await,
    ]
    .iter()
    .map(|f| f.id_number())
    .collect();
    assert!(ids[0] < ids[1] && ids[1] < ids[2], "{ids:?}");
}

#[tokio::test]
async fn a_reconnect_with_last_event_id_replays_exactly_what_was_missed() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let (alex, _) = server.sign_in(COACH).await;
    let mut events = server.events(&sam).await;
    server
        .ok(
            &alex,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": world.sam_session, "body": "seen"})),
        )
        .await;
    let seen = events.expect("agreement_created").await;
    drop(events);

    let mut missed = Vec::new();
    for body in ["missed 1", "missed 2", "missed 3"] {
        let agreement = server
            .ok(
                &alex,
                Method::POST,
                "/api/agreements",
                Some(json!({"coaching_session_id": world.sam_session, "body": body})),
            )
            .await;
        missed.push(agreement["id"].as_str().unwrap().to_owned());
    }
    let mut again = SseClient::connect(&sam, &server.url("/api/sse"), seen.id.as_deref()).await;
    let mut by_query =
        SseClient::connect(&sam, &server.url(&format!("/api/sse?lastEventId={}", seen.id_number())), None).await;
    for expected in &missed {
        let frame = by_query.expect("agreement_created").await;
        assert_eq!(frame.json()["data"]["agreement"]["id"], expected.as_str(), "the query parameter replays the same");
    }
    let mut last = seen.id_number();
    for expected in &missed {
        let frame = again.expect("agreement_created").await;
        assert_eq!(frame.json()["data"]["agreement"]["id"], expected.as_str());
        assert!(frame.id_number() > last);
        last = frame.id_number();
    }
    // Then live events follow, and nothing was replayed twice.
    server
        .ok(
            &alex,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": world.sam_session, "body": "live"})),
        )
        .await;
    assert_eq!(again.expect("agreement_created").await.json()["data"]["agreement"]["body"], "live");
}

#[tokio::test]
async fn a_gap_older_than_the_replay_ring_gets_one_resync() {
    let server = TestServer::start_with(|c| c.sse_replay_size = 2).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut events = server.events(&sam).await;
    server
        .ok(
            &sam,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": world.sam_session, "body": "seen"})),
        )
        .await;
    let seen = events.expect("agreement_created").await;
    drop(events);
    for body in ["a", "b", "c", "d"] {
        server
            .ok(
                &sam,
                Method::POST,
                "/api/agreements",
                Some(json!({"coaching_session_id": world.sam_session, "body": body})),
            )
            .await;
    }
    let mut again = SseClient::connect(&sam, &server.url("/api/sse"), seen.id.as_deref()).await;
    let resync = again.expect("resync").await;
    assert_eq!(resync.json()["data"], json!({}));
    assert!(resync.id_number() > seen.id_number(), "the resync moves the client's last id past the gap");
    // A client that opens a new EventSource passes its last id in the query instead.
    let mut by_query =
        SseClient::connect(&sam, &server.url(&format!("/api/sse?lastEventId={}", seen.id_number())), None).await;
    by_query.expect("resync").await;
    // A garbled Last-Event-ID is treated as too old, too.
    let mut garbled = SseClient::connect(&sam, &server.url("/api/sse"), Some("not-a-number")).await;
    garbled.expect("resync").await;
}

#[tokio::test]
async fn a_quiet_stream_gets_keep_alive_comments() {
    let server = TestServer::start_with(|c| c.sse_keepalive_secs = 1).await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut events = server.events(&sam).await;
    let retry = events.next_frame_within(Duration::from_secs(5)).await.unwrap();
    assert!(retry.retry.is_some());
    let opening = events.next_frame_within(Duration::from_secs(5)).await.unwrap();
    assert!(!opening.comment && opening.id.is_some(), "the opening heartbeat with the newest id: {opening:?}");
    let keep_alive = events.next_frame_within(Duration::from_secs(5)).await.unwrap();
    assert!(keep_alive.comment, "the contract's comment line: {keep_alive:?}");
    assert_eq!(keep_alive.event.as_deref(), Some("heartbeat"), "and an event the browser can see");
    assert_eq!(keep_alive.id, None, "a keep-alive does not move the client's last id");
}

#[tokio::test]
async fn the_stream_needs_a_session_but_no_version_header() {
    let server = TestServer::start().await;
    let anonymous = server.client().get(server.url("/api/sse")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let (sam, _) = server.sign_in(SAM).await;
    let response = sam.get(server.url("/api/sse")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // The contract's `no-cache`, plus the `no-store` every personal answer carries.
    assert_eq!(response.headers()["cache-control"], "no-cache, no-store");
}

#[tokio::test]
async fn logout_sends_force_logout_to_the_other_tabs_of_that_login_only() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (tabs, _) = server.sign_in(SAM).await;
    let (elsewhere, _) = server.sign_in(SAM).await;
    let mut tab1 = server.events(&tabs).await;
    let mut tab2 = server.events(&tabs).await;
    let mut other_device = server.events(&elsewhere).await;
    tabs.delete(server.url("/api/delete")).send().await.unwrap();
    for tab in [&mut tab1, &mut tab2] {
        let frame = tab.expect("force_logout").await;
        assert_eq!(frame.json()["data"]["reason"], "You signed out in another tab.");
        assert!(tab.until_closed().await.is_empty(), "the stream ends after force_logout");
    }
    // The other device keeps working and got no force_logout.
    server
        .ok(
            &elsewhere,
            Method::POST,
            "/api/agreements",
            Some(json!({"coaching_session_id": world.sam_session, "body": "still here"})),
        )
        .await;
    other_device.expect("agreement_created").await;
}

#[tokio::test]
async fn a_password_change_signs_out_every_other_session_at_once() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (current, sam_id) = server.sign_in(SAM).await;
    let (other, _) = server.sign_in(SAM).await;
    let mut current_events = server.events(&current).await;
    let mut other_events = server.events(&other).await;
    let change = json!({"current_password": DEMO_PASSWORD, "new_password": "a much better one", "confirm_password": "a much better one"});
    server.ok(&current, Method::PUT, &format!("/api/users/{sam_id}/password"), Some(change)).await;
    let frame = other_events.expect("force_logout").await;
    assert_eq!(frame.json()["data"]["reason"], "Your password was changed.");
    assert_eq!(server.get(&other, &format!("/api/users/{sam_id}")).await.status(), 401);
    assert_eq!(server.get(&current, &format!("/api/users/{sam_id}")).await.status(), 200);
    // The session that changed it got no force_logout and keeps its stream.
    server
        .ok(
            &current,
            Method::POST,
            "/api/notes",
            Some(json!({"coaching_session_id": world.sam_session, "body": "mine"})),
        )
        .await;
    current_events.expect("note_created").await;
    assert_eq!(server.login(&server.client(), SAM, DEMO_PASSWORD).await.status(), 401);
    assert_eq!(server.login(&server.client(), SAM, "a much better one").await.status(), 200);
}

#[tokio::test]
async fn revoking_sessions_signs_out_the_others_and_keeps_this_one() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (current, sam_id) = server.sign_in(SAM).await;
    let (first, _) = server.sign_in(SAM).await;
    let (second, _) = server.sign_in(SAM).await;
    let mut first_events = server.events(&first).await;
    let mut second_events = server.events(&second).await;
    let mut current_events = server.events(&current).await;
    server.ok(&current, Method::DELETE, &format!("/api/users/{sam_id}/sessions"), None).await;
    for (client, events) in [(&first, &mut first_events), (&second, &mut second_events)] {
        let frame = events.expect("force_logout").await;
        assert_eq!(frame.json()["data"]["reason"], "Your session was ended from another device.");
        assert_eq!(server.get(client, &format!("/api/users/{sam_id}")).await.status(), 401);
    }
    server
        .ok(
            &current,
            Method::POST,
            "/api/notes",
            Some(json!({"coaching_session_id": world.sam_session, "body": "still mine"})),
        )
        .await;
    current_events.expect("note_created").await;
}

#[tokio::test]
async fn a_connection_leaves_the_registry_when_its_client_goes_away() {
    let server = TestServer::start().await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    let sam_id: tandem_protocol::UserId = sam_id.parse().unwrap();
    let first = server.events(&sam).await;
    let second = server.events(&sam).await;
    assert_eq!(server.state.hub().connections_of(sam_id), 2);
    drop(first);
    wait_until(|| server.state.hub().connections_of(sam_id) == 1).await;
    drop(second);
    wait_until(|| server.state.hub().connections_of(sam_id) == 0).await;
}

/// Polls a condition the server reaches on its own, for at most five seconds.
async fn wait_until(condition: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !condition() {
        assert!(tokio::time::Instant::now() < deadline, "condition not reached in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn shutting_down_ends_open_streams_instead_of_waiting_for_them() {
    let mut server = TestServer::start().await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut events = server.events(&sam).await;
    server.shut_down().await;
    let frames = events.until_closed().await;
    let heartbeat = Some(tandem_protocol::HEARTBEAT_EVENT);
    assert!(
        frames.iter().all(|f| f.event.is_none() || f.event.as_deref() == heartbeat),
        "only the opening retry and heartbeat came: {frames:?}"
    );
}

#[tokio::test]
async fn a_first_connection_learns_the_newest_id_so_an_early_reconnect_misses_nothing() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let (alex, _) = server.sign_in(COACH).await;
    let mut first = server.events(&sam).await;
    let opening = loop {
        let frame = first.next_frame_within(Duration::from_secs(5)).await.expect("an opening frame");
        if frame.event.as_deref() == Some(tandem_protocol::HEARTBEAT_EVENT) {
            break frame;
        }
    };
    let newest = opening.id.clone().expect("the opening heartbeat carries the newest id");
    // Gone before any event arrived; a change happens meanwhile.
    drop(first);
    let body = json!({"coaching_session_id": w.sam_session, "body": "while away"});
    server.ok(&alex, Method::POST, "/api/agreements", Some(body)).await;
    let mut again = SseClient::connect(&sam, &server.url("/api/sse"), Some(&newest)).await;
    let replayed = again.expect("agreement_created").await;
    assert_eq!(replayed.json()["data"]["agreement"]["body"], "while away");
    assert_eq!(replayed.id_number(), opening.id_number() + 1);
}

#[tokio::test]
async fn the_trimmer_keeps_each_persons_newest_events_and_a_longer_gap_resyncs() {
    let server = TestServer::start_with(|c| c.sse_replay_size = 3).await;
    let w = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    server.sign_in(COACH).await;
    let mut first = server.events(&sam).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        // Sam writes, so that Sam's stream holds these events only (Alex also gets an inbox
        // item for each).
        let body = json!({"coaching_session_id": w.sam_session, "body": format!("trim {n}")});
        server.ok(&sam, Method::POST, "/api/agreements", Some(body)).await;
        ids.push(first.expect("agreement_created").await.id_number());
    }
    tandem_server::on_engine!(&server.state, engine, state => {
        engine::events::trim(&state.db, state.hub.settings()).await.unwrap();
    });
    let kept = server.snapshot().await.lines().filter(|l| l.starts_with("events|")).count();
    // Three for Sam and three for Alex.
    assert_eq!(kept, 6, "each person keeps the newest three");
    // Three behind: replayed. Four behind: more than the window, so resync.
    let mut within = SseClient::connect(&sam, &server.url("/api/sse"), Some(&ids[2].to_string())).await;
    assert_eq!(within.expect("agreement_created").await.id_number(), ids[3]);
    let mut beyond = SseClient::connect(&sam, &server.url("/api/sse"), Some(&ids[1].to_string())).await;
    beyond.expect("resync").await;
}

/// Reads from a raw connection until `done` holds for what arrived (or five seconds pass).
async fn read_until(tcp: &mut tokio::net::TcpStream, seen: &mut String, done: impl Fn(&str) -> bool) {
    use tokio::io::AsyncReadExt;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut buffer = [0u8; 4096];
    while !done(seen) {
        let read =
            tokio::time::timeout_at(deadline, tcp.read(&mut buffer)).await.expect("nothing more arrived in time");
        match read.expect("read") {
            0 => return,
            n => seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
        }
    }
}

#[tokio::test]
async fn a_connection_opened_for_the_stream_gets_it_chunked_and_closed_at_its_end() {
    use tokio::io::AsyncWriteExt;
    let server = TestServer::start().await;
    let world = server.world().await;
    let login = reqwest::Client::new()
        .post(server.url("/api/login"))
        .form(&[("email", SAM), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|pair| pair.starts_with("id="))
        .expect("a session cookie");
    let sam_id: tandem_protocol::UserId =
        login.json::<serde_json::Value>().await.unwrap()["data"]["id"].as_str().unwrap().parse().unwrap();
    let address = server.base.trim_start_matches("http://").to_owned();

    // Without a session: a complete answer with its length, then the connection closes.
    let mut anonymous = tokio::net::TcpStream::connect(&address).await.unwrap();
    anonymous.write_all(format!("GET /api/sse HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes()).await.unwrap();
    let mut refused = String::new();
    read_until(&mut anonymous, &mut refused, |_| false).await;
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(refused.contains("content-length: "), "{refused}");

    // With one: the stream, chunked, with the headers every answer carries.
    let mut tcp = tokio::net::TcpStream::connect(&address).await.unwrap();
    let request =
        format!("GET /api/sse HTTP/1.1\r\nHost: {address}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut seen = String::new();
    read_until(&mut tcp, &mut seen, |seen| seen.contains("retry:")).await;
    let (head, _) = seen.split_once("\r\n\r\n").expect("a complete head");
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    for expected in ["content-type: text/event-stream", "transfer-encoding: chunked", "x-content-type-options: nosniff"]
    {
        assert!(head.contains(expected), "{expected} missing from {head}");
    }
    assert_eq!(server.state.hub().connections_of(sam_id), 1);

    // A write arrives as it happens.
    let (coach, _) = server.sign_in(COACH).await;
    let body = json!({"coaching_session_id": world.sam_session, "body": "over a lean connection"});
    server.ok(&coach, Method::POST, "/api/agreements", Some(body)).await;
    read_until(&mut tcp, &mut seen, |seen| seen.contains("over a lean connection")).await;
    assert!(seen.contains("event: agreement_created"), "{seen}");

    // Signing out ends the stream: force_logout, the last chunk, and the connection closes.
    let (other_login, _) = server.sign_in(SAM).await;
    server.ok(&other_login, Method::DELETE, &format!("/api/users/{sam_id}/sessions"), None).await;
    read_until(&mut tcp, &mut seen, |_| false).await;
    assert!(seen.contains("event: force_logout"), "{seen}");
    assert!(seen.ends_with("0\r\n\r\n"), "the chunked body ends properly: {seen:?}");
    wait_until(|| server.state.hub().connections_of(sam_id) == 0).await;
}

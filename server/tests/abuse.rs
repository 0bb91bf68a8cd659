//! Hostile participants and floods, round two: what one request, one account or one
//! address did to everyone before, each refused here (each test fails without its fix).

mod common;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use common::notes::{document_path, push, replica};
use common::sse::SseClient;
use common::*;
use futures_util::StreamExt;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tandem_protocol::UserId;
use tandem_server::notes::crdt::{from_base64, NotesDoc};
use tandem_server::on_engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yrs::{Doc, Map, ReadTxn, Text, Transact, WriteTxn};

/// Another loopback address: a second client address on one machine.
const ELSEWHERE: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// The session's notes as the server has them: the stored state and its text.
async fn stored(server: &TestServer, client: &Client, session: &str) -> (String, String) {
    let state = server.ok(client, Method::GET, &document_path(session), None).await;
    let doc = NotesDoc::new();
    doc.apply(&from_base64(state["update"].as_str().unwrap()).unwrap()).unwrap();
    (state["update"].as_str().unwrap().to_owned(), doc.text())
}

/// A server without the write and notes allowances, which would refuse before the reader.
async fn without_write_budgets() -> TestServer {
    TestServer::start_with(|config| {
        config.write_burst = 0;
        config.notes_bytes_per_minute = 0;
    })
    .await
}

/// A 422 whose message says why.
async fn refused(response: reqwest::Response) -> String {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"], "validation_error");
    body["message"].as_str().unwrap_or_default().to_owned()
}

async fn alive(server: &TestServer) {
    let health = server.client().get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the server is down");
}

/// The update: one value of the merge engine's `Any` type, `depth` arrays deep,
/// inserted under the root type `root`.
fn nested_update(root: &str, depth: usize) -> Vec<u8> {
    let mut update = vec![0x01, 0x01, 0x2a, 0x00, 0x08, 0x01, u8::try_from(root.len()).unwrap()];
    update.extend_from_slice(root.as_bytes());
    update.push(0x01);
    for _ in 0..depth {
        update.extend_from_slice(&[0x75, 0x01]);
    }
    update.extend_from_slice(&[0x7e, 0x00]);
    update
}

/// A client on a keep-alive pool, signed in as `email` (many requests, few connections).
async fn pooled(server: &TestServer, email: &str) -> Client {
    let client = Client::builder().cookie_store(true).build().unwrap();
    assert_eq!(server.login(&client, email, DEMO_PASSWORD).await.status(), 200);
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deeply_nested_updates_are_refused_and_the_server_and_the_notes_live_on() {
    // Room for the 2.7 MB body, and no byte budget: the refusal must come from the reader.
    let server = TestServer::start_with(|config| {
        config.body_limit = 8 << 20;
        config.notes_bytes_per_minute = 0;
    })
    .await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (sam, _) = server.sign_in(SAM).await;
    let typed = replica(&server, &sam, session).await.replace_text("Agenda: the plan\n").unwrap();
    assert!(push(&server, &sam, session, &typed).await.status().is_success());
    let before = stored(&server, &sam, session).await;
    for depth in [20_000, 1_000_000] {
        for root in ["deep", "notes"] {
            let message = refused(push(&server, &sam, session, &nested_update(root, depth)).await).await;
            assert!(message.contains("deeper than") || message.contains("notes do not hold"), "{message}");
            alive(&server).await;
        }
    }
    assert_eq!(stored(&server, &sam, session).await, before, "a refused update changed the notes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_random_updates_are_refused_and_change_nothing() {
    let server = without_write_budgets().await;
    let world = server.world().await;
    let session = world.sam_session.clone();
    let sam = pooled(&server, SAM).await;
    let typed = replica(&server, &sam, &session).await.replace_text("Before the noise\n").unwrap();
    assert!(push(&server, &sam, &session, &typed).await.status().is_success());
    let before = stored(&server, &sam, &session).await;
    // A fixed seed: the same 10,000 updates every run (xorshift64).
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let updates: Vec<Vec<u8>> = (0..10_000)
        .map(|_| {
            let len = 3 + (next() % 300) as usize;
            (0..len).map(|_| next() as u8).collect()
        })
        .collect();
    let statuses: Vec<u16> = futures_util::stream::iter(updates)
        .map(|update| {
            let (server, sam, session) = (&server, &sam, &session);
            async move { push(server, sam, session, &update).await.status().as_u16() }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let other: Vec<&u16> = statuses.iter().filter(|status| **status != 422).collect();
    assert!(other.is_empty(), "answers other than 422: {other:?}");
    alive(&server).await;
    assert_eq!(stored(&server, &sam, &session).await, before);
}

/// Updates of the merge engine writing what the page never shows.
fn padding_updates() -> Vec<(&'static str, Vec<u8>)> {
    let pad = "x".repeat(100_000);
    let text = Doc::with_client_id(71);
    text.get_or_insert_text("padding").insert(&mut text.transact_mut(), 0, &pad);
    let map = Doc::with_client_id(72);
    map.get_or_insert_map("meta").insert(&mut map.transact_mut(), "pad", pad.as_str());
    let keyed = Doc::with_client_id(73);
    {
        let mut txn = keyed.transact_mut();
        let notes = txn.get_or_insert_text("notes");
        notes.insert(&mut txn, 0, "seen");
        notes.format(&mut txn, 0, 4, [("hidden".into(), pad.clone().into())].into_iter().collect());
    }
    let whole = |doc: &Doc| doc.transact().encode_state_as_update_v1(&yrs::StateVector::default());
    vec![("another text", whole(&text)), ("a map", whole(&map)), ("formatting", whole(&keyed))]
}

#[tokio::test]
async fn updates_writing_other_parts_of_the_document_are_refused_and_the_other_person_types_on() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let (sam, _) = server.sign_in(SAM).await;
    let (coach, _) = server.sign_in(COACH).await;
    let before = stored(&server, &coach, session).await;
    for (what, update) in padding_updates() {
        let message = refused(push(&server, &sam, session, &update).await).await;
        assert!(message.contains("notes do not hold"), "{what}: {message}");
    }
    assert_eq!(stored(&server, &coach, session).await, before);
    let typed = replica(&server, &coach, session).await.replace_text("Still typing\n").unwrap();
    assert!(push(&server, &coach, session, &typed).await.status().is_success());
    assert_eq!(stored(&server, &sam, session).await.1, "Still typing\n");
}

/// Bytes the replay events and the notes documents take.
async fn stored_bytes(server: &TestServer) -> i64 {
    on_engine!(&server.state, _engine, state => {
        let events: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(LENGTH(data)), 0) AS BIGINT) FROM events")
            .fetch_one(&state.db).await.unwrap();
        let notes: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(LENGTH(state)), 0) AS BIGINT) FROM note_documents")
                .fetch_one(&state.db).await.unwrap();
        events + notes
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_and_deleting_in_bulk_is_bounded_per_minute_and_replay_keeps_one_update_per_author() {
    // Without the byte budget, to show what replay alone keeps.
    let server = without_write_budgets().await;
    let world = server.world().await;
    let session = &world.sam_session;
    let sam = pooled(&server, SAM).await;
    let (coach, _) = server.sign_in(COACH).await;
    let mut coach_events = server.events(&coach).await;
    let since = loop {
        let frame = coach_events.next_frame_within(Duration::from_secs(5)).await.expect("the stream ended");
        if let Some(id) = frame.id {
            break id;
        }
    };
    let doc = replica(&server, &sam, session).await;
    // 88 KB: within what one note may hold.
    let bulk = "padding ".repeat(11_000);
    let start = stored_bytes(&server).await;
    // 40 rounds of 88 KB typed and deleted: 3.5 MB of updates, 7 MB of replay before.
    for round in 0..40 {
        for text in [bulk.as_str(), "kept\n"] {
            let update = doc.replace_text(text).unwrap();
            let response = push(&server, &sam, session, &update).await;
            assert!(response.status().is_success(), "round {round}: {}", response.status());
        }
    }
    let grown = stored_bytes(&server).await - start;
    assert!(grown < 256 * 1024, "the database grew by {grown} bytes for 4 MB of typing");
    // A replica that was away gets every update but the newest without its bytes.
    let mut back = SseClient::connect(&coach, &server.url("/api/sse"), Some(&since)).await;
    let mut replayed = Vec::new();
    while replayed.len() < 80 {
        let frame = back.next_event().await;
        if frame.event.as_deref() == Some("note_document_updated") {
            replayed.push(frame.json()["data"].clone());
        }
    }
    assert!(replayed[..79].iter().all(|data| data.get("update").is_none()), "older updates kept whole");
    let newest = NotesDoc::new();
    newest.apply(&from_base64(&stored(&server, &coach, session).await.0).unwrap()).unwrap();
    assert_eq!(newest.text(), "kept\n");
    assert!(replayed[79]["update"].is_string(), "the newest update is kept whole");
    drop(coach_events);

    // With the default budget, one person adds at most 256 KiB a minute and the other types on.
    let limited = TestServer::start().await;
    let world = limited.world().await;
    let session = &world.sam_session;
    let sam = pooled(&limited, SAM).await;
    let doc = replica(&limited, &sam, session).await;
    let mut accepted = 0;
    let refused_at = loop {
        let update = doc.replace_text(if accepted % 2 == 0 { &bulk } else { "kept\n" }).unwrap();
        let response = push(&limited, &sam, session, &update).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break accepted;
        }
        assert!(response.status().is_success(), "{}", response.status());
        accepted += 1;
        assert!(accepted < 20, "100 KB updates were never refused");
    };
    assert!(refused_at <= 6, "{refused_at} updates of up to 100 KB in a minute");
    let (coach, _) = limited.sign_in(COACH).await;
    let typed = replica(&limited, &coach, session).await.replace_text("The coach types on\n").unwrap();
    assert!(push(&limited, &coach, session, &typed).await.status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_sign_ins_of_one_account_are_throttled_and_others_still_sign_in() {
    let server = TestServer::start_with(|config| config.sign_ins_per_address = 0).await;
    let started = Instant::now();
    let statuses: Vec<u16> = futures_util::stream::iter(0..2000)
        .map(|_| {
            let server = &server;
            async move {
                let client = Client::new();
                server.login(&client, SAM, DEMO_PASSWORD).await.status().as_u16()
            }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    let elapsed = started.elapsed().as_secs();
    let signed_in = statuses.iter().filter(|s| **s == 200).count() as u64;
    let throttled = statuses.iter().filter(|s| **s == 429).count() as u64;
    assert_eq!(signed_in + throttled, 2000, "{statuses:?}");
    // 20 at once, then one every 3 s.
    assert!(signed_in <= 21 + elapsed / 3, "{signed_in} sign-ins in {elapsed} s");
    assert_eq!(server.login(&server.client(), JORDAN, DEMO_PASSWORD).await.status(), 200);

    // Per address: another address still signs in when one has used its allowance.
    let server = TestServer::start_with(|config| config.sign_ins_per_address = 5).await;
    for email in [SAM, JORDAN, COACH, OLIVE, STRANGER] {
        assert_eq!(server.login(&server.client(), email, DEMO_PASSWORD).await.status(), 200);
    }
    let response = server.login(&server.client(), OTHER_COACH, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    let elsewhere = Client::builder().local_address(ELSEWHERE).build().unwrap();
    assert_eq!(server.login(&elsewhere, OTHER_COACH, DEMO_PASSWORD).await.status(), 200);
}

fn user_id(id: &str) -> UserId {
    serde_json::from_value(json!(id)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_streams_of_one_person_over_many_sign_ins_leave_the_newest_ten() {
    let server = TestServer::start_with(|config| config.sign_ins_per_account = 0).await;
    let world = server.world().await;
    let mut streams = Vec::new();
    for _ in 0..30 {
        let (sam, _) = server.sign_in(SAM).await;
        streams.push(server.events(&sam).await);
    }
    let open = on_engine!(&server.state, _engine, state => state.hub.connections_of(user_id(&world.sam_id)));
    assert_eq!(open, 10);
    for (n, stream) in streams.iter_mut().take(20).enumerate() {
        stream.until_closed().await;
        assert!(n < 20);
    }
    let (coach, _) = server.sign_in(COACH).await;
    let path = format!("/api/coaching_sessions/{}/title", world.sam_session);
    server.ok(&coach, Method::PATCH, &path, Some(json!({"title": "For the newest ten"}))).await;
    for stream in streams.iter_mut().skip(20) {
        stream.expect("coaching_session_title_updated").await;
    }
}

/// The status line of the answer on `stream` (it must come within 5 s).
async fn status_line(stream: &mut TcpStream) -> String {
    let mut read = Vec::new();
    let mut buffer = [0u8; 1024];
    tokio::time::timeout(Duration::from_secs(5), async {
        while !read.windows(2).any(|w| w == b"\r\n") {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => read.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await
    .expect("no answer in time");
    String::from_utf8_lossy(&read).lines().next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_past_its_share_is_refused_while_another_is_served() {
    // 5 % of 200 is 10; the floor of 8 does not apply.
    let server = TestServer::start_with(|config| {
        config.max_connections = 200;
        config.connections_per_address_percent = 5;
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..10 {
        held.push(TcpStream::connect(&address).await.unwrap());
    }
    let mut eleventh = TcpStream::connect(&address).await.unwrap();
    assert!(status_line(&mut eleventh).await.starts_with("HTTP/1.1 429"));
    let elsewhere = Client::builder().local_address(ELSEWHERE).build().unwrap();
    assert_eq!(elsewhere.get(server.url("/api/health")).send().await.unwrap().status(), 200);
    // A connection that closes gives its place back.
    drop(held.pop());
    let served = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Ok(response) = Client::new().get(server.url("/api/health")).send().await {
                if response.status() == 200 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(served.is_ok(), "the address never got its place back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_proxy_the_share_is_the_forwarded_clients() {
    let server = TestServer::start_with(|config| {
        config.max_connections = 200;
        config.connections_per_address_percent = 5;
        config.trust_forwarded_for = true;
    })
    .await;
    let address = server.base.trim_start_matches("http://").to_owned();
    let request = |client: &str| {
        format!("GET /api/health HTTP/1.1\r\nHost: tandem\r\nX-Forwarded-For: 198.51.100.9, {client}\r\n\r\n")
    };
    let mut held = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(request("203.0.113.7").as_bytes()).await.unwrap();
        assert!(status_line(&mut stream).await.starts_with("HTTP/1.1 200"));
        held.push(stream);
    }
    let mut same = TcpStream::connect(&address).await.unwrap();
    same.write_all(request("203.0.113.7").as_bytes()).await.unwrap();
    assert!(status_line(&mut same).await.starts_with("HTTP/1.1 429"));
    let mut other = TcpStream::connect(&address).await.unwrap();
    other.write_all(request("203.0.113.8").as_bytes()).await.unwrap();
    assert!(status_line(&mut other).await.starts_with("HTTP/1.1 200"));
}

/// The `tandem_device=…` pair of a sign-in's answer.
fn device_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("tandem_device="))
        .expect("a device cookie")
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn login_with_cookie(server: &TestServer, email: &str, password: &str, cookie: &str) -> StatusCode {
    let form = [("email", email), ("password", password)];
    let request = Client::new().post(server.url("/api/login")).header("cookie", cookie).form(&form);
    request.send().await.unwrap().status()
}

#[tokio::test]
async fn failures_from_elsewhere_do_not_lock_the_owners_browser_out() {
    let server = TestServer::start().await;
    // The owner signed in from this browser before; so did Sam, from theirs.
    let owner = server.login(&Client::new(), COACH, DEMO_PASSWORD).await;
    assert_eq!(owner.status(), 200);
    let owners_cookie = device_cookie(&owner);
    assert!(owner.headers().get_all("set-cookie").iter().any(|v| {
        let v = v.to_str().unwrap();
        v.starts_with("tandem_device=") && v.contains("HttpOnly") && v.contains("SameSite=Strict")
    }));
    let sams_cookie = device_cookie(&server.login(&Client::new(), SAM, DEMO_PASSWORD).await);

    let attacker = Client::builder().local_address(ELSEWHERE).build().unwrap();
    let mut statuses = Vec::new();
    for _ in 0..50 {
        statuses.push(server.login(&attacker, COACH, "a-guess").await.status().as_u16());
    }
    assert!(statuses.ends_with(&[429; 30]), "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429));

    assert_eq!(login_with_cookie(&server, COACH, DEMO_PASSWORD, &owners_cookie).await, 200, "the owner is locked out");
    assert_eq!(
        server.login(&server.client(), COACH, DEMO_PASSWORD).await.status(),
        429,
        "a new browser is not throttled"
    );
    let (nonce, tag) = owners_cookie.split_once('.').unwrap();
    let forged_tag: String = tag.chars().rev().collect();
    for forged in [
        format!("{nonce}.{forged_tag}"),
        "tandem_device=AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(),
        sams_cookie.clone(),
    ] {
        assert_eq!(login_with_cookie(&server, COACH, DEMO_PASSWORD, &forged).await, 429, "{forged} gave an allowance");
    }
    // The known browser's own failures are bounded too: ten, then it waits like anyone.
    for _ in 0..11 {
        assert_eq!(login_with_cookie(&server, COACH, "a-slip", &owners_cookie).await, 401);
    }
    assert_eq!(login_with_cookie(&server, COACH, DEMO_PASSWORD, &owners_cookie).await, 429);
}

#[tokio::test]
async fn an_address_that_used_its_failures_still_lets_a_known_browser_in() {
    let server = TestServer::start().await;
    let known = Client::builder().local_address(ELSEWHERE).build().unwrap();
    let jordan = server.login(&known, JORDAN, DEMO_PASSWORD).await;
    let jordans_cookie = device_cookie(&jordan);
    let office = Client::builder().local_address(ELSEWHERE).build().unwrap();
    for n in 0..31 {
        let status = server.login(&office, &format!("guess{n}@tandem.demo"), "a-guess").await.status();
        assert_eq!(status, 401);
    }
    assert_eq!(server.login(&office, SAM, DEMO_PASSWORD).await.status(), 429, "the address is not throttled");
    let with_cookie = known
        .post(server.url("/api/login"))
        .header("cookie", &jordans_cookie)
        .form(&[("email", JORDAN), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(with_cookie.status(), 200);
}

#[tokio::test]
async fn deeply_nested_json_bodies_are_refused_and_the_server_lives() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let before = server.snapshot().await;
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let paths = [
        (Method::POST, "/api/agreements".to_owned()),
        (Method::PUT, format!("/api/coaching_sessions/{}/presence", world.sam_session)),
        (Method::POST, document_path(&world.sam_session)),
    ];
    for (method, path) in paths {
        let body = format!("{{\"coaching_session_id\":\"{}\",\"body\":{deep},\"update\":{deep}}}", world.sam_session);
        let response = sam
            .request(method.clone(), server.url(&path))
            .header("x-version", tandem_protocol::API_VERSION)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_client_error(), "{method} {path}: {}", response.status());
        alive(&server).await;
    }
    assert_eq!(server.snapshot().await, before);
}

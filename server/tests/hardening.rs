//! The server survives hostile and careless clients: each limit is proven here by the
//! request it refuses (each test fails without its limit).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads until the server closes the connection; how long that took, or None when it was
/// still open after `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((started + within).into(), stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

fn host_port(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// The JSON error body of a refusal, after checking its status and kind.
async fn json_error(response: reqwest::Response, status: StatusCode, kind: &str) -> Value {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["status_code"], status.as_u16());
    assert_eq!(body["error"], kind);
    assert!(!body["message"].as_str().unwrap_or("").is_empty());
    body
}

/// A 429 in the contract's JSON error format with a `Retry-After` of at least a second.
async fn too_many(response: reqwest::Response) -> u64 {
    let retry_after: u64 =
        response.headers().get("retry-after").expect("Retry-After on a 429").to_str().unwrap().parse().unwrap();
    let body = json_error(response, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    assert_eq!(body["details"]["retry_after_secs"], retry_after);
    assert!(retry_after >= 1);
    retry_after
}

#[tokio::test]
async fn idle_and_slow_connections_are_closed() {
    let server = TestServer::start_with(|config| config.header_timeout_secs = 1).await;
    let address = host_port(&server);

    let mut silent = TcpStream::connect(&address).await.unwrap();
    let waited = closed_within(&mut silent, Duration::from_secs(5)).await;
    assert!(waited.is_some(), "a connection that sends nothing stays open");

    let mut slow = TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Half: ").await.unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(5)).await.is_some(), "half-sent headers are held");

    // Kept alive after an answer, then idle: closed too.
    let mut kept = TcpStream::connect(&address).await.unwrap();
    kept.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    while !String::from_utf8_lossy(&answer).contains("healthy") {
        let mut chunk = [0u8; 512];
        let read = kept.read(&mut chunk).await.unwrap();
        assert!(read > 0, "closed before answering");
        answer.extend_from_slice(&chunk[..read]);
    }
    assert!(closed_within(&mut kept, Duration::from_secs(5)).await.is_some(), "an idle keep-alive stays open");
}

#[tokio::test]
async fn a_slowly_sent_body_is_cut_off_with_408() {
    let server = TestServer::start_with(|config| config.request_timeout_secs = 1).await;
    let (_, _) = server.sign_in(SAM).await;
    let mut slow = TcpStream::connect(host_port(&server)).await.unwrap();
    slow.write_all(b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nemail=").await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "a body that never finishes is waited for without end");
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
}

#[tokio::test]
async fn beyond_the_connection_budget_new_connections_are_shed_and_room_comes_back() {
    let server = TestServer::start_with(|config| {
        config.max_connections = 4;
        config.header_timeout_secs = 2;
    })
    .await;
    let address = host_port(&server);
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(TcpStream::connect(&address).await.unwrap());
    }
    // Let the server accept all four before the fifth arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fifth = TcpStream::connect(&address).await.unwrap();
    let shed = closed_within(&mut fifth, Duration::from_millis(1500)).await;
    assert!(shed.is_some(), "a connection over the budget was kept");
    // Once the silent ones time out, there is room again.
    for stream in &mut held {
        assert!(closed_within(stream, Duration::from_secs(5)).await.is_some());
    }
    let health = server.client().get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account_with_retry_after() {
    let server = TestServer::start_with(|config| config.login_failures_per_account = 3).await;
    let client = server.client();
    for _ in 0..4 {
        assert_eq!(server.login(&client, SAM, "wrong-password").await.status(), 401);
    }
    // Now even the right password waits, from any client, while other accounts are fine.
    let retry_after = too_many(server.login(&server.client(), SAM, DEMO_PASSWORD).await).await;
    assert!(retry_after > 60, "{retry_after}");
    assert_eq!(server.login(&client, JORDAN, DEMO_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_address_whatever_the_account() {
    let server = TestServer::start_with(|config| {
        config.login_failures_per_address = 3;
        config.login_failures_per_account = 0;
    })
    .await;
    let client = server.client();
    for n in 0..4 {
        let response = server.login(&client, &format!("guess{n}@tandem.demo"), "wrong-password").await;
        assert_eq!(response.status(), 401);
    }
    too_many(server.login(&client, COACH, DEMO_PASSWORD).await).await;
}

#[tokio::test]
async fn writes_are_limited_per_person_and_a_refused_one_writes_nothing() {
    let server = TestServer::start_with(|config| config.write_burst = 5).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let (alex, _) = server.sign_in(COACH).await;
    let agreement = json!({"coaching_session_id": world.sam_session, "body": "one more"});
    for _ in 0..5 {
        server.ok(&sam, Method::POST, "/api/agreements", Some(agreement.clone())).await;
    }
    let before = server.snapshot().await;
    too_many(server.call(&sam, Method::POST, "/api/agreements", Some(&agreement)).await).await;
    assert_eq!(server.snapshot().await, before, "a refused write changed the database");
    // Reading goes on, and the other person's allowance is their own.
    let list = format!("/api/agreements?coaching_session_id={}", world.sam_session);
    server.ok(&sam, Method::GET, &list, None).await;
    server.ok(&alex, Method::POST, "/api/agreements", Some(agreement)).await;
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_announced_or_not() {
    let server = TestServer::start_with(|config| config.body_limit = 64 * 1024).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let before = server.snapshot().await;
    let big = json!({"coaching_session_id": world.sam_session, "body": "x".repeat(200_000)});
    let response = server.call(&sam, Method::POST, "/api/notes", Some(&big)).await;
    let body = json_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert!(body["message"].as_str().unwrap().contains("65536"), "{body}");
    // Chunked, with no length announced: cut while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        vec![Ok(br#"{"coaching_session_id":""#.to_vec()), Ok(vec![b'a'; 100_000]), Ok(br#""}"#.to_vec())];
    let response = sam
        .post(server.url("/api/notes"))
        .header("x-version", tandem_protocol::API_VERSION)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    json_error(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    let form = sam.post(server.url("/api/login")).body("x".repeat(100_000)).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(server.snapshot().await, before);
}

#[tokio::test]
async fn a_session_holds_a_bounded_number_of_notes() {
    let server = TestServer::start_with(|config| config.write_burst = 0).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let list = format!("/api/notes?coaching_session_id={}", world.sam_session);
    let existing = server.ok(&sam, Method::GET, &list, None).await.as_array().unwrap().len();
    let note = json!({"coaching_session_id": world.sam_session, "body": "a note"});
    for _ in existing..20 {
        server.ok(&sam, Method::POST, "/api/notes", Some(note.clone())).await;
    }
    let before = server.snapshot().await;
    let response = server.call(&sam, Method::POST, "/api/notes", Some(&note)).await;
    let body = json_error(response, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(body["details"]["limit"], 20);
    assert_eq!(server.snapshot().await, before);
    assert_eq!(server.ok(&sam, Method::GET, &list, None).await.as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn a_wrongly_typed_field_is_named() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let action = json!({"coaching_session_id": world.sam_session, "status": 123});
    let response = server.call(&sam, Method::POST, "/api/actions", Some(&action)).await;
    let body = json_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_error").await;
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("status"), "{message}");
    assert!(!message.to_lowercase().contains("malformed"), "{message}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_api_answers_are_not_stored() {
    let server = TestServer::start().await;
    let (sam, sam_id) = server.sign_in(SAM).await;
    for path in ["/", "/coaching-sessions/x", "/api/health", &format!("/api/users/{sam_id}"), "/api/nothing-here"] {
        let response = server.get(&sam, path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.get("strict-transport-security").is_none(), "HSTS without HTTPS would lock people out");
        if path.starts_with("/api") {
            assert_eq!(headers["cache-control"], "no-store", "{path}");
        }
    }
    let production = TestServer::start_with(|config| {
        config.production = true;
        config.demo_password = "not-the-published-one".into();
    })
    .await;
    let response = production.client().get(production.url("/api/health")).send().await.unwrap();
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused_and_signs_no_one_in() {
    let server = TestServer::start().await;
    let form = [("email", SAM), ("password", DEMO_PASSWORD)];
    for (header, value) in [("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")] {
        let client = server.client();
        let response = client.post(server.url("/api/login")).header(header, value).form(&form).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{header}: {value}");
        assert!(response.headers().get("set-cookie").is_none());
        assert!(response.text().await.unwrap().contains("cross-site"));
    }
    // The app's own page, and clients that are not browsers, sign in.
    let own = server
        .client()
        .post(server.url("/api/login"))
        .header("sec-fetch-site", "same-origin")
        .header("origin", server.base.clone())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn production_refuses_the_published_demo_password() {
    use tandem_server::{build_state, demo, Config, StartError};
    let dir = std::env::temp_dir().join(format!("tandem-prod-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/tandem.db", dir.display());
    let production = |demo_on: bool| {
        let mut config = Config::for_tests(url.clone());
        config.production = true;
        config.demo = demo_on;
        config.demo_password = demo::PUBLISHED_PASSWORD.into();
        config
    };
    // Asked to seed the published password in production.
    assert!(matches!(build_state(production(true)).await, Err(StartError::DemoPasswordInProduction(_))));
    // Seeded earlier, outside production, then started in production.
    let mut seeded = Config::for_tests(url.clone());
    seeded.demo = true;
    seeded.demo_password = demo::PUBLISHED_PASSWORD.into();
    let state = build_state(seeded).await.unwrap();
    match build_state(production(false)).await {
        Err(StartError::DemoPasswordInProduction(email)) => assert_eq!(email, demo::PEOPLE[0].email),
        other => panic!("started in production with demo passwords: {:?}", other.err()),
    }
    // Once every demo person has another password, production starts.
    let hash = tandem_server::auth::password::hash("a private password").unwrap();
    tandem_server::on_engine!(&state, _engine, state => {
        sqlx::query("UPDATE users SET password_hash = $1").bind(hash).execute(&state.db).await.unwrap();
    });
    assert!(build_state(production(false)).await.is_ok());
    // And with no flags at all, no demo people exist.
    let fresh = Config::for_tests(format!("sqlite://{}/fresh.db", dir.display()));
    let state = build_state(fresh).await.unwrap();
    assert!(tandem_server::on_engine!(&state, engine, state => engine::db::users::is_empty(&state.db).await.unwrap()));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The real server binary, so memory is that of the server process alone.
struct ServerProcess {
    child: Child,
    base: String,
    dir: std::path::PathBuf,
}

impl ServerProcess {
    async fn start(extra: &[&str]) -> ServerProcess {
        let dir = std::env::temp_dir().join(format!("tandem-proc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let url = format!("sqlite://{}/tandem.db", dir.display());
        let child = Command::new(env!("CARGO_BIN_EXE_tandem-server"))
            .args(["--port", &port.to_string(), "--database-url", &url, "--log-level", "error"])
            .args(["--demo", "true", "--demo-password", DEMO_PASSWORD, "--static-dir", dir.to_str().unwrap()])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let server = ServerProcess { child, base: format!("http://127.0.0.1:{port}"), dir };
        let client = reqwest::Client::new();
        let started = Instant::now();
        while client.get(format!("{}/api/health", server.base)).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    /// `VmRSS` and `VmHWM` (the peak) of the process, in MiB.
    fn memory_mib(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let field = |name: &str| -> f64 {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap();
            line.split_whitespace().nth(1).unwrap().parse::<f64>().unwrap() / 1024.0
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Resident memory once it is under `bound` MiB, or as it is after `within`: memory
    /// freed after a flood comes back over a few seconds (the periodic trim).
    async fn memory_settling_under(&self, bound: f64, within: Duration) -> f64 {
        let started = Instant::now();
        let mut now = self.memory_mib().0;
        while now > bound && started.elapsed() < within {
            tokio::time::sleep(Duration::from_millis(200)).await;
            now = self.memory_mib().0;
        }
        now
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_failed_sign_ins_keeps_memory_bounded_and_gives_it_back() {
    // Throttling off: this proves the bound on password checks and the allocator, alone.
    let server =
        ServerProcess::start(&["--login-failures-per-address", "0", "--login-failures-per-account", "0"]).await;
    let client = reqwest::Client::new();
    let login = |n: usize| {
        let client = client.clone();
        let url = format!("{}/api/login", server.base);
        async move {
            let form = [("email", SAM.to_owned()), ("password", format!("wrong-{n}"))];
            client.post(url).form(&form).send().await.map(|r| r.status().as_u16()).unwrap_or(0)
        }
    };
    use futures_util::StreamExt;
    // A server in use: its database pool and worker threads are up before the flood.
    let warm_up: Vec<u16> = futures_util::stream::iter(0..20).map(login).buffer_unordered(20).collect().await;
    assert!(warm_up.iter().all(|s| *s == 401));
    let (before, _) = server.memory_mib();
    let statuses: Vec<u16> = futures_util::stream::iter(0..1000).map(login).buffer_unordered(100).collect().await;
    let (_, peak) = server.memory_mib();
    // The client's idle keep-alive connections go, as a departing flood's would.
    drop(client);
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
    assert!(statuses.contains(&401));
    assert!(peak < 500.0, "peak resident memory {peak:.0} MiB during the flood (before: {before:.0} MiB)");
    let after = server.memory_settling_under(before * 1.1, Duration::from_secs(5)).await;
    eprintln!("resident memory: {before:.1} MiB before, {peak:.1} MiB peak, {after:.1} MiB after");
    assert!(after <= before * 1.1, "resident memory {after:.1} MiB after the flood, {before:.1} MiB before");
}

/// Opens `count` connections, `at_once` at a time, with `open(n)`; those that opened.
async fn open_many<F>(count: usize, at_once: usize, open: impl FnMut(usize) -> F) -> Vec<TcpStream>
where
    F: std::future::Future<Output = Option<TcpStream>>,
{
    use futures_util::StreamExt;
    futures_util::stream::iter(0..count)
        .map(open)
        .buffer_unordered(at_once)
        .filter_map(|stream| async move { stream })
        .collect()
        .await
}

/// Writes `bytes` to a fresh connection in pieces (stopping when the server closes it) and
/// keeps the connection open.
async fn unfinished_head(address: std::net::SocketAddr, bytes: usize) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let piece = [b'a'; 16 * 1024];
    let _ = stream.write_all(b"GET /api/health HTTP/1.1\r\nHost: tandem\r\nX-Padding: ").await;
    let mut sent = 0;
    while sent < bytes {
        let n = piece.len().min(bytes - sent);
        if stream.write_all(&piece[..n]).await.is_err() {
            break;
        }
        sent += n;
    }
    Some(stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unfinished_heads_cost_at_most_the_head_limit_and_a_long_head_gets_431() {
    // One address holds all 4,000 connections here: no share, only the head limit.
    let server = ServerProcess::start(&["--connections-per-address-percent", "100"]).await;
    let address: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let (before, _) = server.memory_mib();
    // 2,000 heads just under the limit, which the server must hold for their 10 s, and
    // 2,000 of 400 KB that never end, which it must refuse once they pass it.
    let size = |n: usize| if n.is_multiple_of(2) { 15 * 1024 } else { 400 * 1024 };
    let held = open_many(4000, 200, |n| unfinished_head(address, size(n))).await;
    assert!(held.len() >= 3900, "only {} connections opened", held.len());
    let (during, peak) = server.memory_mib();
    eprintln!("resident memory: {before:.1} MiB before, {during:.1} MiB holding 4,000 heads, peak {peak:.1} MiB");
    assert!(peak < 300.0, "peak resident memory {peak:.0} MiB with 4,000 unfinished heads");
    let health = reqwest::Client::new().get(format!("{}/api/health", server.base)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    drop(held);

    // A complete head of 17 KiB: 431 at once, as the first request and as a later one.
    let long = format!("GET /api/health HTTP/1.1\r\nHost: tandem\r\nX-Padding: {}\r\n\r\n", "a".repeat(17 * 1024));
    let mut first = TcpStream::connect(address).await.unwrap();
    first.write_all(long.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), first.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    let mut later = TcpStream::connect(address).await.unwrap();
    later.write_all(b"GET /api/health HTTP/1.1\r\nHost: tandem\r\n\r\n").await.unwrap();
    let mut buffer = [0u8; 4096];
    let n = later.read(&mut buffer).await.unwrap();
    assert!(buffer[..n].starts_with(b"HTTP/1.1 200"));
    later.write_all(long.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), later.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
}

#[tokio::test]
async fn a_database_of_an_earlier_schema_or_an_unreachable_one_stops_the_start_with_a_reason() {
    use tandem_server::{build_state, Config, StartError};
    let dir = std::env::temp_dir().join(format!("tandem-old-{}", uuid::Uuid::new_v4()));
    let url = format!("sqlite://{}/tandem.db", dir.display());
    let state = build_state(Config::for_tests(url.clone())).await.unwrap();
    // As if an earlier Tandem had applied a first migration of its own.
    tandem_server::on_engine!(&state, _engine, state => {
        sqlx::query("UPDATE _sqlx_migrations SET checksum = X'00'").execute(&state.db).await.unwrap();
    });
    drop(state);
    match build_state(Config::for_tests(url)).await {
        Err(error @ StartError::Database(_)) => {
            let message = error.to_string();
            assert!(message.contains("earlier version of Tandem"), "{message}");
            assert!(message.contains(&dir.display().to_string()), "names the database: {message}");
        }
        other => panic!("started on an old schema: {:?}", other.err()),
    }
    let refused = build_state(Config::for_tests("postgres://tandem@127.0.0.1:1/tandem")).await;
    match refused {
        Err(error @ StartError::Database(_)) => {
            let message = error.to_string();
            assert!(message.contains("cannot reach the database at postgres://tandem@127.0.0.1:1/tandem"), "{message}");
            assert!(!message.contains("timed out"), "the reason, not the pool's timeout: {message}");
        }
        other => panic!("started without its database: {:?}", other.err()),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Signs `email` in over a fresh client and returns the session cookie (`name=value`).
async fn session_cookie(base: &str, email: &str) -> String {
    let form = [("email", email), ("password", DEMO_PASSWORD)];
    let response = reqwest::Client::new().post(format!("{base}/api/login")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers().get_all(reqwest::header::SET_COOKIE).iter().find_map(|value| {
        let pair = value.to_str().ok()?.split(';').next()?.to_owned();
        (!pair.starts_with("tandem_device")).then_some(pair)
    });
    cookie.expect("a session cookie")
}

/// Opens an event stream over a raw connection and waits for its `200`.
async fn open_stream(address: std::net::SocketAddr, cookie: &str) -> Option<TcpStream> {
    let mut stream = TcpStream::connect(address).await.ok()?;
    let head =
        format!("GET /api/sse HTTP/1.1\r\nHost: tandem\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n");
    stream.write_all(head.as_bytes()).await.ok()?;
    let mut buffer = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut buffer)).await.ok()?.ok()?;
    buffer[..n].starts_with(b"HTTP/1.1 200").then_some(stream)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn memory_comes_back_after_a_flood_of_streams() {
    // No per-person cap and one address for everything: the flood is as large as it gets.
    let server = ServerProcess::start(&[
        "--sse-streams-per-person",
        "0",
        "--connections-per-address-percent",
        "100",
        "--sign-ins-per-account",
        "0",
        "--sign-ins-per-address",
        "0",
    ])
    .await;
    let address: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let mut cookies = Vec::new();
    for _ in 0..50 {
        cookies.push(session_cookie(&server.base, SAM).await);
    }
    // A server in use: a stream has been served before the flood.
    drop(open_stream(address, &cookies[0]).await.expect("a stream"));
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (before, _) = server.memory_mib();
    let streams = open_many(6000, 100, |n| open_stream(address, &cookies[n % cookies.len()])).await;
    assert!(streams.len() >= 5900, "only {} streams opened", streams.len());
    let (during, _) = server.memory_mib();
    drop(streams);
    let after = server.memory_settling_under(before * 1.25, Duration::from_secs(15)).await;
    eprintln!("resident memory: {before:.1} MiB before, {during:.1} MiB holding 6,000 streams, {after:.1} MiB after");
    assert!(during > before + 10.0, "the flood cost nothing measurable ({before:.1} -> {during:.1} MiB)");
    assert!(after <= before * 1.25, "resident memory {after:.1} MiB after the flood, {before:.1} MiB before");
    // And the server still serves a stream.
    assert!(open_stream(address, &cookies[0]).await.is_some());
}

#[tokio::test]
async fn a_browsers_event_stream_is_served_off_hypers_path() {
    let server = TestServer::start().await;
    let (sam, _) = server.sign_in(SAM).await;
    let before = tandem_server::lean_stream::streams_served();
    let _stream = server.events(&sam).await;
    assert!(
        tandem_server::lean_stream::streams_served() > before,
        "the stream was served by hyper: the accept loop no longer recognises its path"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_ends_every_lean_event_stream_with_its_last_chunk() {
    let server =
        ServerProcess::start(&["--sse-streams-per-person", "0", "--connections-per-address-percent", "100"]).await;
    let address: std::net::SocketAddr = server.base.trim_start_matches("http://").parse().unwrap();
    let cookie = session_cookie(&server.base, SAM).await;
    let streams = open_many(300, 50, |_| open_stream(address, &cookie)).await;
    assert_eq!(streams.len(), 300);
    // SAFETY: sends SIGTERM to the server process this test started.
    unsafe {
        libc::kill(server.child.id() as libc::pid_t, libc::SIGTERM);
    }
    use futures_util::StreamExt;
    let endings = futures_util::stream::iter(streams)
        .map(|mut stream| async move {
            let mut rest = Vec::new();
            let ended = tokio::time::timeout(Duration::from_secs(15), stream.read_to_end(&mut rest)).await.is_ok();
            ended && rest.ends_with(b"0\r\n\r\n")
        })
        .buffer_unordered(300)
        .collect::<Vec<bool>>()
        .await;
    let cut = endings.iter().filter(|ended| !**ended).count();
    assert_eq!(cut, 0, "{cut} of 300 streams ended without their last chunk when the server stopped");
}

//! What an operator follows a request by: its id, in its answer and in the log lines of the
//! request (JSON with `--log-format json`).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn request_id(response: &reqwest::Response) -> String {
    response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn every_answer_has_a_request_id_and_keeps_the_proxys() {
    let server = TestServer::start().await;
    let client = reqwest::Client::new();
    let first = client.get(server.url("/api/health")).send().await.unwrap();
    let second = client.get(server.url("/api/health")).send().await.unwrap();
    let (first, second) = (request_id(&first), request_id(&second));
    assert_eq!(first.len(), 36, "not a UUID: {first:?}");
    assert_ne!(first, second, "two requests, one id");
    // Behind nginx, its `$request_id` is the one used.
    let proxied = client.get(server.url("/api/health")).header("x-request-id", "nginx-4f2a").send().await.unwrap();
    assert_eq!(request_id(&proxied), "nginx-4f2a");
    // A refusal and a page of the web app carry one too.
    let refused = client.get(server.url("/api/users/nobody")).send().await.unwrap();
    assert!(refused.status().is_client_error());
    assert_eq!(request_id(&refused).len(), 36);
}

#[tokio::test]
async fn an_event_stream_served_off_hypers_path_has_its_request_id_too() {
    let server = TestServer::start().await;
    let form = [("email", SAM), ("password", DEMO_PASSWORD)];
    let login = reqwest::Client::new().post(server.url("/api/login")).form(&form).send().await.unwrap();
    let cookie = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_owned))
        .find(|pair| !pair.starts_with("tandem_device"))
        .expect("a session cookie");
    let mut tcp = TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    let head = format!("GET /api/sse HTTP/1.1\r\nHost: t\r\nCookie: {cookie}\r\nX-Request-Id: stream-77\r\n\r\n");
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut buffer = [0u8; 2048];
    let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buffer)).await.unwrap().unwrap();
    let answer = String::from_utf8_lossy(&buffer[..n]).to_lowercase();
    assert!(answer.starts_with("http/1.1 200"), "{answer}");
    assert!(answer.contains("x-request-id: stream-77"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_json_logs_every_line_is_json_and_a_requests_lines_carry_its_id() {
    let dir = std::env::temp_dir().join(format!("tandem-logs-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tandem-server"))
        .args(["--port", &port.to_string(), "--database-url", &format!("sqlite://{}/t.db", dir.display())])
        .args(["--static-dir", dir.to_str().unwrap(), "--log-format", "json", "--log-level", "info,tower_http=debug"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        let answer = client.get(format!("{base}/api/health")).header("x-request-id", "trace-me-42").send().await;
        if answer.is_ok() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let lines: Vec<String> = BufReader::new(&output.stdout[..]).lines().map_while(Result::ok).collect();
    let logged: Vec<serde_json::Value> = lines
        .iter()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(!logged.is_empty(), "no JSON log line in {lines:?}");
    let of_request = logged.iter().filter(|line| line["span"]["request_id"] == "trace-me-42").count();
    assert!(of_request >= 1, "no log line of the request carries its id: {lines:?}");
}

#[tokio::test]
async fn a_stopping_instance_says_it_is_not_ready_and_tells_streams_to_reconnect_at_once() {
    let mut server = TestServer::start().await;
    let client = server.client();
    let ready = client.get(server.url("/api/ready")).send().await.unwrap();
    assert_eq!((ready.status(), ready.text().await.unwrap().as_str()), (reqwest::StatusCode::OK, "ready"));
    let (alex, _) = server.sign_in(COACH).await;
    let mut stream = server.events(&alex).await;
    let first = stream.next_frame_within(std::time::Duration::from_secs(5)).await.expect("the opening frame");
    assert_eq!(first.retry, Some(1000), "streams normally reconnect after a second");

    // Stopping: the stream's last frame asks for an immediate reconnect, then it ends.
    server.shut_down().await;
    let rest = stream.until_closed().await;
    let last = rest.last().expect("a last frame before the end");
    assert_eq!(last.retry, Some(1), "{rest:?}");
}

#[tokio::test]
async fn readiness_says_draining_once_the_instance_begins_to_stop() {
    let server = TestServer::start().await;
    server.state.hub().begin_drain();
    let ready = server.client().get(server.url("/api/ready")).send().await.unwrap();
    assert_eq!(ready.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.text().await.unwrap(), "draining");
    // Liveness is another question: the process still answers.
    let health = server.client().get(server.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), reqwest::StatusCode::OK);
}

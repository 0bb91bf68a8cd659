//! Measures how fast a write reaches another person's event stream: the time from a POST's
//! response to the event's arrival on a second connection, over 100 writes.
//!
//! `cargo run --release -p tandem-server --example event_latency` (loopback only; starts
//! its own server on a free port with a fresh database, stops by itself).

#[path = "../tests/common/sse.rs"]
mod sse;

use std::time::{Duration, Instant};

use reqwest::Client;
use serde_json::{json, Value};
use tandem_protocol::API_VERSION;
use tandem_server::{build_state, serve, Config};
use tokio::net::TcpListener;

const WRITES: usize = 100;
/// Writes before measuring (first connections, first database pages).
const WARM_UP: usize = 5;
const PASSWORD: &str = "bench-password";

async fn sign_in(base: &str, email: &str) -> (Client, Value) {
    let client = Client::builder().cookie_store(true).build().expect("client");
    let response = client
        .post(format!("{base}/api/login"))
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    let body: Value = response.json().await.expect("login body");
    (client, body["data"].clone())
}

async fn get(client: &Client, url: String) -> Value {
    let body: Value =
        client.get(url).header("x-version", API_VERSION).send().await.expect("get").json().await.expect("json");
    body["data"].clone()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("tandem-latency-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut config = Config::for_tests(format!("sqlite://{}/tandem.db", dir.display()));
    config.demo = true;
    config.demo_password = PASSWORD.into();
    let state = build_state(config).await.expect("server");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state, async {
        let _ = stopped.await;
    }));

    let (coach, coach_user) = sign_in(&base, "coach@tandem.demo").await;
    let (coachee, _) = sign_in(&base, "sam@tandem.demo").await;
    let org =
        get(&coach, format!("{base}/api/users/{}/organizations", coach_user["id"].as_str().unwrap_or_default())).await;
    let rels = get(
        &coach,
        format!("{base}/api/organizations/{}/coaching_relationships", org[0]["id"].as_str().unwrap_or_default()),
    )
    .await;
    let rel =
        rels.as_array().and_then(|r| r.iter().find(|r| r["coachee_first_name"] == "Sam")).expect("Sam's relationship");
    let sessions = get(
        &coach,
        format!(
            "{base}/api/coaching_sessions?coaching_relationship_id={}&from_date=2000-01-01&to_date=2100-01-01",
            rel["id"].as_str().unwrap_or_default()
        ),
    )
    .await;
    let session = sessions[0]["id"].as_str().expect("a session").to_owned();

    let mut stream = sse::SseClient::connect(&coachee, &format!("{base}/api/sse"), None).await;
    let mut after_response = Vec::with_capacity(WRITES);
    let mut after_request = Vec::with_capacity(WRITES);
    for n in 0..WARM_UP + WRITES {
        let sent = Instant::now();
        let response = coach
            .post(format!("{base}/api/agreements"))
            .header("x-version", API_VERSION)
            .json(&json!({"coaching_session_id": session, "body": format!("agreement {n}")}))
            .send()
            .await
            .expect("post");
        let returned = Instant::now();
        assert!(response.status().is_success());
        let _ = response.bytes().await;
        stream.expect("agreement_created").await;
        let arrived = Instant::now();
        // The event may arrive before the response: then the wait after the response is 0.
        if n < WARM_UP {
            continue;
        }
        after_response.push(arrived.saturating_duration_since(returned).as_secs_f64() * 1000.0);
        after_request.push(arrived.duration_since(sent).as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let _ = stop.send(());
    drop(stream);
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    let _ = std::fs::remove_dir_all(&dir);

    for samples in [&mut after_response, &mut after_request] {
        samples.sort_by(f64::total_cmp);
    }
    println!("event latency over {WRITES} writes (release build, loopback)");
    println!(
        "  POST returned -> event at second connection: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&after_response, 50.0),
        percentile(&after_response, 95.0),
        after_response[WRITES - 1]
    );
    println!(
        "  POST sent     -> event at second connection: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        percentile(&after_request, 50.0),
        percentile(&after_request, 95.0),
        after_request[WRITES - 1]
    );
}

//! `/metrics` on `--metrics-bind`: Prometheus text whose counters move with traffic, served
//! on its own address only. Runs the server binary (the metrics recorder is process-wide).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::mail::free_port;
use common::sse::SseClient;
use reqwest::{Client, StatusCode};
use serde_json::json;

struct Running {
    child: Child,
    base: String,
    metrics: String,
    dir: std::path::PathBuf,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn start() -> Running {
    let (port, metrics_port) = (free_port(), free_port());
    let dir = std::env::temp_dir().join(format!("tandem-metrics-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_tandem-server"))
        .args(["--port", &port.to_string(), "--metrics-bind", &format!("127.0.0.1:{metrics_port}")])
        .args(["--database-url", &format!("sqlite://{}/tandem.db", dir.display()), "--demo", "true"])
        .args(["--demo-password", common::DEMO_PASSWORD, "--log-level", "warn", "--write-burst", "1", "--static-dir"])
        .arg(dir.join("dist"))
        .stdout(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let running = Running {
        child,
        base: format!("http://127.0.0.1:{port}"),
        metrics: format!("http://127.0.0.1:{metrics_port}/metrics"),
        dir,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(format!("{}/api/health", running.base)).await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running
}

/// The scrape, parsed as Prometheus parses it.
async fn scrape(url: &str) -> prometheus_parse::Scrape {
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    prometheus_parse::Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("Prometheus text")
}

/// The sum of every sample of `name` whose labels include `label` (if given).
fn total(scrape: &prometheus_parse::Scrape, name: &str, label: Option<(&str, &str)>) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|sample| sample.metric == name)
        .filter(|sample| label.is_none_or(|(key, value)| sample.labels.get(key) == Some(value)))
        .map(|sample| match sample.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            prometheus_parse::Value::Histogram(ref buckets) => buckets.iter().map(|b| b.count).fold(0.0, f64::max),
            _ => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn metrics_parse_as_prometheus_text_move_with_traffic_and_stay_off_the_public_port() {
    let server = start().await;
    let client = Client::builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("{}/api/login", server.base))
        .form(&[("email", common::COACH), ("password", common::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let me: serde_json::Value = login.json().await.unwrap();
    let me = me["data"]["id"].as_str().unwrap().to_owned();
    let before = scrape(&server.metrics).await;

    let mut stream = SseClient::connect(&client, &format!("{}/api/sse", server.base), None).await;
    let sessions: serde_json::Value = client
        .get(format!("{}/api/users/{me}/organizations", server.base))
        .header("x-version", tandem_protocol::API_VERSION)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org = sessions["data"][0]["id"].as_str().unwrap().to_owned();
    let relationships: serde_json::Value = client
        .get(format!("{}/api/organizations/{org}/coaching_relationships", server.base))
        .header("x-version", tandem_protocol::API_VERSION)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let relationship = relationships["data"][0]["id"].as_str().unwrap();
    let goal = json!({"coaching_relationship_id": relationship, "status": "NotStarted", "title": "Measured"});
    let made = client
        .post(format!("{}/api/goals", server.base))
        .header("x-version", tandem_protocol::API_VERSION)
        .json(&goal)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    stream.expect("goal_created").await;
    // A second write at once is over the allowance of one: throttled, by the write limit.
    let again = client
        .post(format!("{}/api/goals", server.base))
        .header("x-version", tandem_protocol::API_VERSION)
        .json(&goal)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::TOO_MANY_REQUESTS);
    // A refused sign-in and an unknown route count too.
    client
        .post(format!("{}/api/login", server.base))
        .form(&[("email", "x@y.z"), ("password", "nope")])
        .send()
        .await
        .unwrap();

    let after = scrape(&server.metrics).await;
    assert!(total(&after, "tandem_streams_open", None) >= 1.0, "an open stream is counted");
    assert!(
        total(&after, "tandem_events_published_total", None) > total(&before, "tandem_events_published_total", None)
    );
    assert!(total(&after, "tandem_events_delivered_total", None) >= 1.0);
    assert!(total(&after, "tandem_event_delivery_seconds_count", None) >= 1.0, "the delivery delay is measured");
    let posts =
        |scrape: &prometheus_parse::Scrape| total(scrape, "tandem_http_requests_total", Some(("route", "/api/goals")));
    assert_eq!(posts(&after) - posts(&before), 2.0, "the goals' POSTs are counted, by their route");
    assert_eq!(total(&after, "tandem_throttled_total", Some(("reason", "writes"))), 1.0, "throttled, by reason");
    assert!(total(&after, "tandem_db_query_seconds_count", None) > 0.0, "every statement is timed");
    assert_eq!(total(&after, "tandem_http_throttled_total", Some(("route", "/api/goals"))), 1.0, "throttled, by route");
    let refused = total(&after, "tandem_http_requests_total", Some(("status", "401")));
    assert!(refused >= 1.0, "the failed sign-in is counted by its status");

    // The public port does not serve them.
    let public = reqwest::get(format!("{}/metrics", server.base)).await.unwrap().text().await.unwrap();
    assert!(!public.contains("tandem_http_requests_total"), "metrics on the public port");
    let public = reqwest::get(format!("{}/api/metrics", server.base)).await.unwrap();
    assert_eq!(public.status(), StatusCode::NOT_FOUND);
}

//! Operational metrics, in Prometheus' text format on `--metrics-bind` (never on the public
//! port), through the `metrics` facade. Without `--metrics-bind` no recorder is installed and
//! every call here does nothing but a relaxed atomic load.
//!
//! What is measured, and where: streams open and their replays and resyncs (`http/sse.rs`),
//! events recorded and delivered and the delay from an event's recording to its handing to a
//! stream (`realtime/hub.rs`, `http/sse.rs`), HTTP requests by route and status and their
//! time (`http/guards.rs`), throttled answers (429) by route and by the limit that refused
//! (`limits/`), connections shed by reason (`connections.rs`) and streams the hub closed, mails queued, sent and failed (`mailer.rs`), the database pool's size
//! and idle connections and the time of a probe query (`app.rs`, every five seconds).

use std::net::SocketAddr;
use std::time::Duration;

use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};

/// Seconds boundaries of the latency histograms: 100 µs to 10 s.
const SECONDS_BUCKETS: [f64; 14] =
    [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5, 10.0];

/// Serves the metrics at `http://{bind}/metrics` from now on. Must run inside the runtime.
pub fn install(bind: SocketAddr) -> Result<(), String> {
    PrometheusBuilder::new()
        .with_http_listener(bind)
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &SECONDS_BUCKETS)
        .map_err(|error| error.to_string())?
        .install()
        .map_err(|error| format!("cannot serve metrics on {bind}: {error}"))
}

/// An event stream opened (`+1`) or closed (`-1`).
pub fn streams_open(change: f64) {
    gauge!("tandem_streams_open").increment(change);
}

/// A reconnecting stream was replayed `frames` events, or told to resync.
pub fn catch_up(frames: Option<usize>) {
    match frames {
        Some(count) => counter!("tandem_replayed_events_total").increment(count as u64),
        None => counter!("tandem_resyncs_total").increment(1),
    }
}

/// Events recorded for their recipients (one per recipient).
pub fn events_published(count: usize) {
    counter!("tandem_events_published_total").increment(count as u64);
}

/// Events handed to open streams.
pub fn events_delivered(count: usize) {
    counter!("tandem_events_delivered_total").increment(count as u64);
}

/// From an event's recording (or its arrival from another instance) to its handing to a
/// stream's writer.
pub fn delivery_delay(delay: Duration) {
    histogram!("tandem_event_delivery_seconds").record(delay.as_secs_f64());
}

/// One answered HTTP request of the API.
pub fn http_request(route: &str, method: &str, status: u16, took: Duration) {
    let labels = [("route", route.to_owned()), ("method", method.to_owned()), ("status", status.to_string())];
    counter!("tandem_http_requests_total", &labels).increment(1);
    histogram!("tandem_http_request_seconds", "route" => route.to_owned()).record(took.as_secs_f64());
    if status == 429 {
        counter!("tandem_http_throttled_total", "route" => route.to_owned()).increment(1);
    }
}

/// A request refused with 429 by one of the limits (`writes`, `sign_ins`, `notes_bytes`,
/// `password_checks_busy`, `password_resets`, `user_lookups`).
pub fn throttled(reason: &'static str) {
    counter!("tandem_throttled_total", "reason" => reason).increment(1);
}

/// Event streams the server closed: a person's oldest beyond their cap, or one too slow to
/// keep up.
pub fn stream_shed(reason: &'static str, count: usize) {
    counter!("tandem_streams_shed_total", "reason" => reason).increment(count as u64);
}

/// A connection closed at once: over the budget, over its address's share, or a head too large.
pub fn connection_shed(reason: &'static str) {
    counter!("tandem_connections_shed_total", "reason" => reason).increment(1);
}

/// A mail queued, sent or failed (a failed try; it is retried).
pub fn mail(outcome: &'static str) {
    counter!("tandem_mails_total", "outcome" => outcome).increment(1);
}

/// The database pool: connections open and idle, and how long a probe query took.
pub fn database(size: u32, idle: usize, probe: Option<Duration>) {
    gauge!("tandem_db_pool_connections").set(f64::from(size));
    gauge!("tandem_db_pool_idle_connections").set(idle as f64);
    match probe {
        Some(took) => histogram!("tandem_db_probe_seconds").record(took.as_secs_f64()),
        None => counter!("tandem_db_probe_failures_total").increment(1),
    }
}

/// Records the time of every database statement into `tandem_db_query_seconds`, from sqlx's
/// own per-statement events (target `sqlx::query`, field `elapsed_secs`). Installed only with
/// `--metrics-bind`, with a filter of its own, so the log's filter is unchanged.
pub struct QueryTimes;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for QueryTimes {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut elapsed = Elapsed(None);
        event.record(&mut elapsed);
        if let Some(seconds) = elapsed.0 {
            histogram!("tandem_db_query_seconds").record(seconds);
        }
    }
}

/// Reads the `elapsed_secs` field of an event.
struct Elapsed(Option<f64>);

impl tracing::field::Visit for Elapsed {
    fn record_f64(&mut self, field: &tracing::field::Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.0 = Some(value);
        }
    }

    fn record_debug(&mut self, _: &tracing::field::Field, _: &dyn std::fmt::Debug) {}
}

/// The filter of [`QueryTimes`]: sqlx's statement events, which it sends at debug level.
pub fn query_events() -> tracing_subscriber::filter::Targets {
    tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::DEBUG)
}

//! `GET /health` (the process answers) and `GET /ready` [extension]: whether this instance
//! should get traffic: its database answers, it receives the events other instances write,
//! and it is not stopping. A load balancer or a rolling restart waits for it.

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

use super::super::state::AppState;

/// How long the database may take to answer the readiness probe.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(|| async { "healthy" })).route("/ready", get(ready))
}

async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.hub.is_draining() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    let probe = tokio::time::timeout(PROBE_TIMEOUT, sqlx::query("SELECT 1").execute(&state.db)).await;
    if !matches!(probe, Ok(Ok(_))) {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable");
    }
    if !state.delivery.is_connected() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not receiving events");
    }
    (StatusCode::OK, "ready")
}

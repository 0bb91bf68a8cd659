//! `GET /health`.

use axum::routing::get;
use axum::Router;

use super::super::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(|| async { "healthy" }))
}

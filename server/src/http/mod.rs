//! The HTTP API under `/api`: one module per resource, each exporting `router()`.

mod extract;
mod health;
mod organizations;
mod session;
mod users;
mod version;

use axum::middleware;
use axum::Router;

use crate::error::Error;
use crate::state::AppState;

pub use extract::{Form, Json, Path};

/// Every API route. JSON routes require `X-Version`; login, logout and health do not.
pub fn router() -> Router<AppState> {
    let versioned = Router::new()
        .merge(users::router())
        .merge(organizations::router())
        .route_layer(middleware::from_fn(version::require_api_version));
    Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(versioned)
        .fallback(|| async { Error::NotFound })
}

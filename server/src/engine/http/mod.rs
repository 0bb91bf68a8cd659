//! The HTTP API under `/api`: one module per resource, each exporting `router()`.

mod actions;
mod coaching_sessions;
mod extract;
mod goals;
pub mod guards;
mod health;
mod members;
mod onboarding;
mod note_awareness;
mod note_document;
mod notifications;
mod organizations;
mod precondition;
mod restore;
pub mod presence;
pub mod public_links;
mod series;
mod session;
mod session_export;
mod session_goals;
mod session_texts;
mod session_views;
mod sse;
mod topics;
mod users;
mod validate;
mod version;

use axum::middleware::{self, from_fn_with_state};
use axum::Router;

use super::state::AppState;
use crate::error::Error;
use tandem_protocol::{Agreement, Note};

pub use extract::{Form, Json, Path, Query};

/// Every API route. JSON routes require `X-Version`; login, logout, sse and health do not.
/// Writes of JSON routes count against the person's write allowance.
pub fn router(state: &AppState) -> Router<AppState> {
    let versioned = Router::new()
        .merge(users::router())
        .merge(organizations::router())
        .merge(members::router())
        .merge(coaching_sessions::router())
        .merge(session_goals::router())
        .merge(actions::router())
        .merge(session_texts::router::<Agreement>())
        .merge(goals::router())
        .merge(session_texts::router::<Note>())
        .merge(notifications::router())
        .merge(topics::router())
        .merge(restore::router())
        .merge(series::router())
        .merge(session_views::router())
        .route_layer(from_fn_with_state(state.clone(), guards::limit_writes))
        .route_layer(middleware::from_fn(version::require_api_version));
    // Typing and presence: small, frequent writes with an allowance of their own.
    let live = Router::new()
        .merge(note_document::router())
        .merge(note_awareness::router())
        .merge(presence::router())
        .route_layer(from_fn_with_state(state.clone(), guards::limit_live_writes))
        .route_layer(middleware::from_fn(version::require_api_version));
    Router::new()
        .merge(health::router())
        .merge(session::router())
        .merge(session_export::router())
        .merge(onboarding::router())
        .merge(sse::router())
        .merge(versioned)
        .merge(live)
        .route_layer(middleware::from_fn(guards::measure))
        .fallback(|| async { Error::NotFound })
}

//! Tandem's server: the coaching API of the Refactor platform contract, plus the web app.
//!
//! `app(state)` builds the whole router apart from `main`, so tests serve exactly what
//! production serves.

pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod realtime;
pub mod state;
pub mod static_files;

use std::future::Future;
use std::sync::Arc;

use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

pub use config::Config;
pub use state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("session store: {0}")]
    SessionStore(#[from] sqlx::Error),
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
}

/// Opens the database, migrates it and the session store, and seeds demo data when asked.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let db = db::connect(&config.database_url).await?;
    let sessions = SqliteStore::new(db.clone());
    sessions.migrate().await?;
    if config.demo {
        demo::seed_if_empty(&db, &config.demo_password).await?;
    }
    let hub = Arc::new(realtime::Hub::new(config.hub_settings()));
    Ok(AppState { db, sessions, hub, config: Arc::new(config) })
}

/// The whole application: the API under `/api`, the web app everywhere else.
pub fn app(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        .with_name(tandem_protocol::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.production)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(24)));
    let static_dir = state.config.static_dir.clone();
    Router::new()
        .nest("/api", http::router().layer(sessions))
        .merge(static_files::router(&static_dir))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `app(state)` on `listener` until `shutdown` completes. Open event streams are
/// closed then, so they do not hold the shutdown up.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hub = state.hub.clone();
    let sweeper = tokio::spawn({
        let hub = hub.clone();
        async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                hub.sweep();
            }
        }
    });
    // Events are small writes: without TCP_NODELAY, Nagle's algorithm and delayed ACKs can
    // hold one back for 40 ms.
    let listener = listener.tap_io(|tcp| {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {error}");
        }
    });
    // `into_make_service`: each connection gets a clone of the router (an `Arc`). Served as a
    // plain `Router`, axum rebuilds its route table for every connection, 4–9 KiB that an
    // open event stream would hold for hours.
    let result = axum::serve(listener, app(state).into_make_service())
        .with_graceful_shutdown(async move {
            shutdown.await;
            hub.close_all();
        })
        .await;
    sweeper.abort();
    result
}

//! Tandem's server: the coaching API of the Refactor platform contract, plus the web app.
//!
//! `app(state)` builds the whole router apart from `main`, so tests serve exactly what
//! production serves.

pub mod auth;
pub mod config;
pub mod connections;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod limits;
pub mod realtime;
pub mod security_headers;
pub mod state;
pub mod static_files;

use std::future::Future;
use std::sync::Arc;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
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
    #[error(
        "refusing to start in production: {0} has the published demo password. \
         Change it, or start without --production."
    )]
    DemoPasswordInProduction(String),
}

/// Opens the database, migrates it and the session store, and seeds demo data when asked.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let db = db::connect(&config.database_url).await?;
    let sessions = SqliteStore::new(db.clone());
    sessions.migrate().await?;
    if config.demo {
        if config.production && config.demo_password == demo::PUBLISHED_PASSWORD {
            return Err(StartError::DemoPasswordInProduction("--demo".into()));
        }
        demo::seed_if_empty(&db, &config.demo_password).await?;
    }
    if config.production {
        if let Some(email) = demo::person_with_published_password(&db).await? {
            return Err(StartError::DemoPasswordInProduction(email));
        }
    }
    let hub = Arc::new(realtime::Hub::new(config.hub_settings()));
    let limits = Arc::new(limits::Limits::new(&config));
    Ok(AppState { db, sessions, hub, limits, config: Arc::new(config) })
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
    let config = state.config.clone();
    let security = Arc::new(security_headers::SecurityHeaders::for_app(
        &config.static_dir,
        &config.csp_connect_src,
        config.production,
    ));
    // Outermost last: every API answer is `no-store` and timed; writes are checked for their
    // site and size before the session is even loaded.
    let api = http::router(&state)
        .layer(sessions)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(from_fn_with_state(state.clone(), http::guards::limit_body))
        .layer(from_fn(http::guards::refuse_cross_site_writes))
        .layer(from_fn_with_state(state.clone(), http::guards::time_out))
        .layer(from_fn(http::guards::no_store));
    Router::new()
        .nest("/api", api)
        .merge(static_files::router(&config.static_dir))
        .layer(from_fn_with_state(security, security_headers::add))
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
    let admission = connections::ConnectionLimits {
        budget: connections::budget(state.config.max_connections),
        header_timeout: Duration::from_secs(state.config.header_timeout_secs.max(1)),
    };
    tracing::info!("accepting at most {} connections at once", admission.budget);
    let sweeper = tokio::spawn({
        let hub = hub.clone();
        let limits = state.limits.clone();
        async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                hub.sweep();
                limits.sweep();
            }
        }
    });
    let trimmer = tokio::spawn(connections::give_back_freed_memory());
    let shutdown = async move {
        shutdown.await;
        hub.close_all();
    };
    let result = connections::serve(listener, app(state), admission, shutdown, Duration::from_secs(10)).await;
    sweeper.abort();
    trimmer.abort();
    result
}

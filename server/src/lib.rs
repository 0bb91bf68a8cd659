//! Tandem's server: the coaching API of the Refactor platform contract, plus the web app.
//!
//! Everything that reads or writes the database is compiled once per engine from
//! `src/engine/`: [`sqlite`] (the embedded default) and [`postgres`] (several instances on
//! one database). The rest (configuration, limits, the event hub, connection handling) is
//! engine-free and lives here. [`build_state`] picks the engine by the database URL's scheme;
//! `app(state)` builds the whole router apart from `main`, so tests serve exactly what
//! production serves.

// `src/engine/` is compiled twice on purpose, once per engine (see `sqlite.rs`).
#![allow(clippy::duplicate_mod)]

/// Declares, in the file of the engine that invokes it (`sqlite.rs`, `postgres.rs`), the
/// modules compiled from `src/engine/` for that engine. The engine's file must define `Db`
/// and a `dialect` module.
#[macro_export]
#[doc(hidden)]
macro_rules! engine_modules {
    () => {
        #[path = "engine/admin.rs"]
        pub mod admin;
        #[path = "engine/app.rs"]
        mod app;
        #[path = "engine/auth/mod.rs"]
        pub mod auth;
        #[path = "engine/db/mod.rs"]
        pub mod db;
        #[path = "engine/events.rs"]
        pub mod events;
        #[path = "engine/http/mod.rs"]
        pub mod http;
        #[path = "engine/jobs.rs"]
        pub mod jobs;
        #[path = "engine/mailer.rs"]
        pub mod mailer;
        #[path = "engine/notify.rs"]
        pub mod notify;
        #[path = "engine/seed.rs"]
        pub mod seed;
        #[path = "engine/state.rs"]
        pub mod state;
        #[path = "engine/write.rs"]
        pub mod write;

        pub use app::{app, build_state, serve};
        pub use state::AppState;
    };
}

pub mod auth;
pub mod config;
pub mod connections;
pub mod database;
pub mod demo;
pub mod error;
pub mod lean_stream;
pub mod limits;
pub mod mail;
pub mod notes;
pub mod paths;
pub mod postgres;
pub mod realtime;
pub mod recurrence;
pub mod security_headers;
pub mod sqlite;
pub mod static_files;
pub mod telemetry;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;

pub use config::Config;
pub use database::Engine;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] database::DbError),
    #[error("session store: {0}")]
    SessionStore(#[from] sqlx::Error),
    #[error("demo data: {0}")]
    Demo(#[from] demo::DemoError),
    #[error("server keys: {0}")]
    Keys(String),
    #[error("{0}")]
    Admin(String),
    #[error("mail: {0}")]
    Mail(#[from] mail::MailError),
    #[error("cannot listen: {0}")]
    Listen(#[from] std::io::Error),
    #[error(
        "refusing to start in production: {0} has the published demo password. \
         Change it, or start without --production."
    )]
    DemoPasswordInProduction(String),
}

/// A server ready to serve, on the engine its database URL names.
#[derive(Clone)]
pub enum State {
    Sqlite(sqlite::AppState),
    Postgres(postgres::AppState),
}

impl State {
    /// The event hub of this instance.
    pub fn hub(&self) -> &Arc<realtime::Hub> {
        match self {
            State::Sqlite(state) => &state.hub,
            State::Postgres(state) => &state.hub,
        }
    }

    /// The engine it runs on.
    pub fn engine(&self) -> Engine {
        match self {
            State::Sqlite(_) => Engine::Sqlite,
            State::Postgres(_) => Engine::Postgres,
        }
    }
}

/// Runs `$body` with `$engine` naming the state's engine module (`sqlite` or `postgres`) and
/// `$state` its `AppState`: for code outside the server (tests, benches) that reaches into
/// the database directly.
#[macro_export]
macro_rules! on_engine {
    ($server_state:expr, $engine:ident, $state:ident => $body:expr) => {
        match $server_state {
            $crate::State::Sqlite($state) => {
                use $crate::sqlite as $engine;
                $body
            }
            $crate::State::Postgres($state) => {
                use $crate::postgres as $engine;
                $body
            }
        }
    };
}

/// Opens the database its URL names, migrates it and the session store, and seeds demo data
/// when asked. An unknown scheme or an unreachable database stops here, with a clear message.
pub async fn build_state(config: Config) -> Result<State, StartError> {
    match Engine::of_url(&config.database_url)? {
        Engine::Sqlite => sqlite::build_state(config).await.map(State::Sqlite),
        Engine::Postgres => postgres::build_state(config).await.map(State::Postgres),
    }
}

/// Runs `tandem-server admin create-superadmin`: the message to print, or why it failed.
pub async fn create_superadmin(
    config: &Config,
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<String, String> {
    let (url, public) = (&config.database_url, &config.public_url);
    let (created, purpose, link) = match Engine::of_url(url).map_err(|e| e.to_string())? {
        Engine::Sqlite => sqlite::admin::create_superadmin(url, public, email, first_name, last_name)
            .await
            .map(|made| (made.created, made.purpose, made.url))
            .map_err(|error| error.to_string())?,
        Engine::Postgres => postgres::admin::create_superadmin(url, public, email, first_name, last_name)
            .await
            .map(|made| (made.created, made.purpose, made.url))
            .map_err(|error| error.to_string())?,
    };
    let who = if created { "Created super administrator" } else { "Super administrator" };
    let (what, valid) = match purpose {
        auth::tokens::Purpose::Setup => ("set a password", "7 days"),
        auth::tokens::Purpose::Reset => ("choose a new password (they already had one)", "1 hour"),
    };
    Ok(format!("{who} {email}. Open this link to {what}; it works once, for {valid}:\n{link}"))
}

/// Runs `tandem-server admin backup --to FILE`: the message to print, or why it failed.
pub async fn backup(config: &Config, to: &std::path::Path) -> Result<String, String> {
    match Engine::of_url(&config.database_url).map_err(|e| e.to_string())? {
        Engine::Sqlite => {
            let bytes = sqlite::backup(&config.database_url, to).await?;
            Ok(format!("Copied the database into {} ({bytes} bytes).", to.display()))
        }
        Engine::Postgres => Err("On PostgreSQL, back up with pg_dump --format=custom and restore with \
             pg_restore (docs/operations.md)."
            .into()),
    }
}

/// Serves the state's app on `listener` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: State,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    match state {
        State::Sqlite(state) => sqlite::serve(listener, state, shutdown).await,
        State::Postgres(state) => postgres::serve(listener, state, shutdown).await,
    }
}

/// What serving needs besides the router, whatever the engine.
pub struct Serving {
    pub hub: Arc<realtime::Hub>,
    pub limits: Arc<limits::Limits>,
    pub config: Arc<Config>,
}

/// Serves `router` on `listener` until `shutdown` completes. Open event streams are closed
/// then, so they do not hold the shutdown up.
pub async fn serve_router(
    listener: TcpListener,
    router: Router,
    Serving { hub, limits, config }: Serving,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let budget = connections::budget(config.max_connections);
    let admission = connections::ConnectionLimits {
        budget,
        header_timeout: Duration::from_secs(config.header_timeout_secs.max(1)),
        max_head: config.max_head_bytes.max(1024),
        per_address: connections::per_address_share(budget, config.connections_per_address_percent),
        trust_forwarded_for: config.trust_forwarded_for,
    };
    tracing::info!(
        "accepting at most {} connections at once, {} per client address",
        admission.budget,
        admission.per_address
    );
    let sweeper = tokio::spawn({
        let hub = hub.clone();
        async move {
            let mut every_minute = tokio::time::interval(Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                hub.sweep();
                limits.sweep();
            }
        }
    });
    let trimmer = tokio::spawn(connections::give_back_freed_memory());
    // Stopping: readiness says no at once, every stream ends with "reconnect now" (to another
    // instance behind the load balancer), requests under way get `drain` to finish.
    let shutdown = async move {
        shutdown.await;
        tracing::info!("draining: ending event streams, finishing requests under way");
        hub.begin_drain();
        hub.close_all();
    };
    let result = connections::serve(listener, router, admission, shutdown, Duration::from_secs(10)).await;
    sweeper.abort();
    trimmer.abort();
    result
}

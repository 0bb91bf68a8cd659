//! Building this engine's server: its state, its router, and serving it.

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{ExpiredDeletion, Expiry, SessionManagerLayer};

use super::{db, dialect, events, http, mailer, seed, AppState};
use crate::auth::device_cookie::DeviceCookies;
use crate::auth::unsubscribe::UnsubscribeLinks;
use crate::config::Config;
use crate::{limits, realtime, security_headers, static_files, StartError};

/// Names the instance that answered (`--instance-name`).
const INSTANCE_HEADER: HeaderName = HeaderName::from_static("x-tandem-instance");

/// Opens the database, migrates it and the session store, and seeds demo data when asked.
pub async fn build_state(config: Config) -> Result<AppState, StartError> {
    let db = db::connect(&config.database_url).await?;
    let sessions = dialect::session_store(db.clone());
    sessions.migrate().await?;
    if config.demo {
        if config.production && config.demo_password == crate::demo::PUBLISHED_PASSWORD {
            return Err(StartError::DemoPasswordInProduction("--demo".into()));
        }
        seed::seed_if_empty(&db, &config.demo_password).await?;
    }
    if config.production {
        if let Some(email) = seed::person_with_published_password(&db).await? {
            return Err(StartError::DemoPasswordInProduction(email));
        }
    }
    let hub = Arc::new(realtime::Hub::new(config.hub_settings()));
    let delivery = Arc::new(dialect::start_delivery(&db, &hub).await?);
    let limits = Arc::new(limits::Limits::new(&config));
    let devices = Arc::new(DeviceCookies::new(shared_key(&db, "device_cookie").await?, config.production));
    let unsubscribe = Arc::new(UnsubscribeLinks::new(shared_key(&db, "unsubscribe").await?));
    let outgoing = Arc::new(crate::mail::Outgoing::from_config(&config)?);
    Ok(AppState {
        db,
        sessions,
        hub,
        commit_order: Arc::default(),
        delivery,
        limits,
        devices,
        unsubscribe,
        outgoing,
        config: Arc::new(config),
    })
}

/// The 32-byte key `name` every instance shares (made by the first to start).
async fn shared_key(db: &db::Pool, name: &str) -> Result<[u8; 32], StartError> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    let mut fresh = [0u8; 32];
    OsRng.fill_bytes(&mut fresh);
    let stored = db::server_keys::get_or_create(db, name, &STANDARD.encode(fresh))
        .await
        .map_err(|error| StartError::Keys(format!("cannot read the {name} key: {error}")))?;
    STANDARD
        .decode(stored.trim())
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or_else(|| StartError::Keys(format!("the stored {name} key is not 32 bytes of base64")))
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
    let instance = config.instance_name.as_deref().and_then(|name| HeaderValue::from_str(name).ok());
    Router::new()
        .nest(crate::paths::API, api)
        .merge(http::public_links::router())
        .merge(static_files::router(&config.static_dir))
        .layer(from_fn_with_state(security, security_headers::add))
        .layer(map_response(move |mut response: Response| {
            let instance = instance.clone();
            async move {
                if let Some(name) = instance {
                    response.headers_mut().insert(INSTANCE_HEADER, name);
                }
                response
            }
        }))
        // Every request has an id (nginx's `X-Request-Id` when it sent one, else a new UUID):
        // in its answer and in every log line of its span.
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(state)
}

/// The span of one request: method, path and its id.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
}

/// Serves `app(state)` on `listener` until `shutdown` completes, sweeping expired cookie
/// sessions out of the store every hour meanwhile.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.sessions.clone();
    let expired = tokio::spawn(async move {
        if let Err(error) = store.continuously_delete_expired(tokio::time::Duration::from_secs(3600)).await {
            tracing::warn!("expired session sweep stopped: {error}");
        }
    });
    let (pool, hub) = (state.db.clone(), state.hub.clone());
    let watched = state.db.clone();
    let database_watch = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            let started = std::time::Instant::now();
            let probe = sqlx::query("SELECT 1").execute(&watched).await.ok().map(|_| started.elapsed());
            crate::telemetry::database(watched.size(), watched.num_idle(), probe);
        }
    });
    let trimmer = tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            if let Err(error) = events::trim(&pool, hub.settings()).await {
                tracing::warn!("cannot forget old events: {error}");
            }
        }
    });
    let presence_state = state.clone();
    let presence_sweeper = tokio::spawn(async move {
        let mut every = tokio::time::interval(http::presence::sweep_every(&presence_state));
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            if let Err(error) = http::presence::sweep(&presence_state).await {
                tracing::warn!("cannot forget quiet pages: {error}");
            }
        }
    });
    let mail_sender = tokio::spawn(mailer::run(state.clone()));
    let jobs = tokio::spawn(super::jobs::run(state.clone()));
    let parts = crate::Serving { hub: state.hub.clone(), limits: state.limits.clone(), config: state.config.clone() };
    let result = crate::serve_router(listener, app(state), parts, shutdown).await;
    expired.abort();
    trimmer.abort();
    presence_sweeper.abort();
    mail_sender.abort();
    jobs.abort();
    database_watch.abort();
    result
}

//! Shared state of every request handler.

use std::sync::Arc;

use sqlx::SqlitePool;
use tower_sessions_sqlx_store::SqliteStore;

use crate::config::Config;
use crate::limits::Limits;
use crate::realtime::Hub;

/// What handlers share: the database, the session store, the event hub, the limits and the
/// configuration.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub sessions: SqliteStore,
    pub hub: Arc<Hub>,
    pub limits: Arc<Limits>,
    pub config: Arc<Config>,
}

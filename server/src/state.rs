//! Shared state of every request handler.

use std::sync::Arc;

use sqlx::SqlitePool;
use tower_sessions_sqlx_store::SqliteStore;

use crate::config::Config;
use crate::realtime::Hub;

/// What handlers share: the database, the session store, the event hub and the configuration.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub sessions: SqliteStore,
    pub hub: Arc<Hub>,
    pub config: Arc<Config>,
}

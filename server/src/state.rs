//! Shared state of every request handler.

use std::sync::Arc;

use sqlx::SqlitePool;
use tower_sessions_sqlx_store::SqliteStore;

use crate::config::Config;

/// What handlers share: the database, the session store and the configuration.
#[derive(Clone)]
pub struct AppState {
    pub db: SqlitePool,
    pub sessions: SqliteStore,
    pub config: Arc<Config>,
}

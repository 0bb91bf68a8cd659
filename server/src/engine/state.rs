//! Shared state of every request handler.

use std::sync::Arc;

use axum::extract::FromRef;

use super::db::Pool;
use super::dialect::SessionStore;
use crate::auth::device_cookie::DeviceCookies;
use crate::config::Config;
use crate::limits::Limits;
use crate::realtime::Hub;

/// What handlers share: the database, the session store, the event hub, the limits and the
/// configuration.
#[derive(Clone)]
pub struct AppState {
    pub db: Pool,
    pub sessions: SessionStore,
    pub hub: Arc<Hub>,
    /// Held from a write's commit to the delivery of its events where this process delivers
    /// them itself (SQLite), so streams get each person's events in id order.
    pub commit_order: Arc<tokio::sync::Mutex<()>>,
    /// Keeps events flowing to this instance's streams (PostgreSQL's listener).
    pub delivery: Arc<super::dialect::Delivery>,
    pub limits: Arc<Limits>,
    /// Signs and checks the browsers known to an account (see `auth::device_cookie`).
    pub devices: Arc<DeviceCookies>,
    /// Signs and reads one-click unsubscribe links (see `auth::unsubscribe`).
    pub unsubscribe: Arc<crate::auth::unsubscribe::UnsubscribeLinks>,
    /// Where queued mail goes (see `mailer`).
    pub outgoing: Arc<crate::mail::Outgoing>,
    pub config: Arc<Config>,
}

impl FromRef<AppState> for Arc<Config> {
    fn from_ref(state: &AppState) -> Self {
        state.config.clone()
    }
}

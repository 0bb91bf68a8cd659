//! The state of the live connection, for the indicator, the debug panel and tests.

use serde::Serialize;
use yewdux::Store;

/// Where the live connection stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum ConnectionState {
    /// Not connected (signed out, or not started).
    #[default]
    Disconnected,
    /// Opening the first connection.
    Connecting,
    /// Open: events flow.
    Connected,
    /// Lost; trying again.
    Reconnecting,
    /// Gave up after the last attempt; the person may retry.
    Error,
}

/// The last failure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectionError {
    pub message: String,
    /// When, in ms since the epoch.
    pub at: f64,
    pub attempt: u32,
}

/// The connection store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Store)]
pub struct ConnectionStore {
    pub state: ConnectionState,
    /// Reconnection attempts since the connection was last healthy.
    pub attempt: u32,
    pub last_error: Option<ConnectionError>,
    /// When the current connection opened, in ms since the epoch.
    pub connected_at: Option<f64>,
    /// When the last event or heartbeat arrived.
    pub last_event_at: Option<f64>,
    /// Delay of the scheduled reconnection, in ms.
    pub next_retry_ms: Option<u32>,
    /// The id of the last event received, when the server sends ids.
    pub last_event_id: Option<String>,
    /// Events handled since the page loaded.
    pub events: u64,
}

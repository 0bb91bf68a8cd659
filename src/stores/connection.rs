//! The state of the live connection, for the indicator, the debug panel and tests.

use yewdux::Store;

/// Where the live connection stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
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

impl ConnectionState {
    /// The state's name, as the debug panel and the relay between tabs spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionState::Disconnected => "Disconnected",
            ConnectionState::Connecting => "Connecting",
            ConnectionState::Connected => "Connected",
            ConnectionState::Reconnecting => "Reconnecting",
            ConnectionState::Error => "Error",
        }
    }

    /// The state of a name from [`ConnectionState::as_str`].
    pub fn parse(name: &str) -> Option<ConnectionState> {
        [
            ConnectionState::Disconnected,
            ConnectionState::Connecting,
            ConnectionState::Connected,
            ConnectionState::Reconnecting,
            ConnectionState::Error,
        ]
        .into_iter()
        .find(|state| state.as_str() == name)
    }
}

/// The last failure.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionError {
    pub message: String,
    /// When, in ms since the epoch.
    pub at: u64,
    pub attempt: u32,
}

/// The connection store.
#[derive(Clone, Debug, Default, PartialEq, Store)]
pub struct ConnectionStore {
    pub state: ConnectionState,
    /// Reconnection attempts since the connection was last healthy.
    pub attempt: u32,
    pub last_error: Option<ConnectionError>,
    /// When the current connection opened, in ms since the epoch.
    pub connected_at: Option<u64>,
    /// When the last event or heartbeat arrived.
    pub last_event_at: Option<u64>,
    /// Delay of the scheduled reconnection, in ms.
    pub next_retry_ms: Option<u32>,
    /// The id of the last event received, when the server sends ids.
    pub last_event_id: Option<String>,
    /// Events handled since the page loaded (by the tab that holds the stream).
    pub events: u64,
    /// This tab holds the browser's one stream (the others get its events relayed).
    pub leader: bool,
}

impl ConnectionStore {
    /// The store as the `?debug=sse` panel shows it: one `"field": value` line each, times
    /// in whole ms since the epoch. Written by hand: a JSON serializer with float formatting
    /// would cost the web app kilobytes for a panel only developers open.
    pub fn debug_text(&self) -> String {
        fn ms(value: Option<u64>) -> String {
            value.map_or_else(|| "null".to_owned(), |ms| ms.to_string())
        }
        fn text(value: Option<&str>) -> String {
            value.map_or_else(|| "null".to_owned(), |text| format!("{text:?}"))
        }
        let error = self.last_error.as_ref();
        [
            format!("\"state\": \"{}\"", self.state.as_str()),
            format!("\"attempt\": {}", self.attempt),
            format!("\"last_error\": {}", text(error.map(|e| e.message.as_str()))),
            format!("\"last_error_at\": {}", ms(error.map(|e| e.at))),
            format!("\"connected_at\": {}", ms(self.connected_at)),
            format!("\"last_event_at\": {}", ms(self.last_event_at)),
            format!("\"next_retry_ms\": {}", self.next_retry_ms.map_or_else(|| "null".to_owned(), |ms| ms.to_string())),
            format!("\"last_event_id\": {}", text(self.last_event_id.as_deref())),
            format!("\"events\": {}", self.events),
            format!("\"leader\": {}", self.leader),
        ]
        .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_debug_text_shows_every_field_with_times_in_whole_ms() {
        let store = ConnectionStore {
            state: ConnectionState::Reconnecting,
            attempt: 2,
            last_error: Some(ConnectionError {
                message: "stream \"closed\"".into(),
                at: 1_700_000_000_123,
                attempt: 2,
            }),
            connected_at: None,
            last_event_at: Some(1_700_000_000_000),
            next_retry_ms: Some(1500),
            last_event_id: Some("17".into()),
            events: 5,
            leader: true,
        };
        let text = store.debug_text();
        for line in [
            "\"state\": \"Reconnecting\"",
            "\"attempt\": 2",
            "\"last_error\": \"stream \\\"closed\\\"\"",
            "\"last_error_at\": 1700000000123",
            "\"connected_at\": null",
            "\"last_event_at\": 1700000000000",
            "\"next_retry_ms\": 1500",
            "\"last_event_id\": \"17\"",
            "\"events\": 5",
            "\"leader\": true",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing from\n{text}");
        }
    }
}

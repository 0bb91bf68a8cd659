//! Paths the router serves that another part of the server must recognise too: the accept
//! loop takes a connection whose first request opens the event stream off hyper's path
//! ([`crate::lean_stream`]), so both read the stream's path from here.

/// Where the API is nested.
pub const API: &str = "/api";
/// The event stream's route, under [`API`].
pub const EVENT_STREAM: &str = "/sse";

/// Whether a request target (path and query) opens the event stream.
pub fn is_event_stream(target: &str) -> bool {
    target
        .strip_prefix(API)
        .and_then(|rest| rest.strip_prefix(EVENT_STREAM))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('?'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_stream_with_or_without_a_query_is_the_stream() {
        assert!(is_event_stream("/api/sse"));
        assert!(is_event_stream("/api/sse?lastEventId=4"));
        for other in ["/api/sses", "/api/sse/", "/sse", "/api", "/api/ssex?x", "/apisse"] {
            assert!(!is_event_stream(other), "{other}");
        }
    }
}

//! Saying that this page has a session open [extension], and goodbye.

use gloo::net::http::Method;
use tandem_protocol::{CoachingSessionId, PresenceTab, SessionPresence};

use super::client::write;
use super::{keepalive, ApiError};

fn path(session: CoachingSessionId) -> String {
    format!("/coaching_sessions/{session}/presence")
}

/// Says that page `tab` has `session` open; answers who is present.
pub async fn hold(session: CoachingSessionId, tab: &str) -> Result<SessionPresence, ApiError> {
    write(Method::PUT, &path(session), &PresenceTab { tab: tab.to_owned() }).await
}

/// Says goodbye, in a request that outlives the page (`keepalive`), so that closing the tab
/// is seen at once rather than when its time runs out. Nothing to wait for or report.
pub fn leave(session: CoachingSessionId, tab: &str) {
    let query = serde_urlencoded::to_string([("tab", tab)]).unwrap_or_default();
    // The answer does not matter: a goodbye that fails is replaced by the time running out.
    keepalive::send("DELETE", &format!("{}?{query}", path(session)), None);
}

//! Saying that this page has a session open [extension], and goodbye.

use gloo::net::http::Method;
use tandem_protocol::{CoachingSessionId, PresenceTab, SessionPresence, API_VERSION};
use wasm_bindgen::JsValue;

use super::client::write;
use super::ApiError;
use crate::config::api_url;

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
    let Some(window) = web_sys::window() else { return };
    let query = serde_urlencoded::to_string([("tab", tab)]).unwrap_or_default();
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    // `keepalive` is not in web-sys' RequestInit yet; it is a plain field of the JS object.
    if js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE).is_err() {
        return;
    }
    init.set_credentials(web_sys::RequestCredentials::Include);
    let Ok(headers) = web_sys::Headers::new() else { return };
    if headers.set("X-Version", API_VERSION).is_err() {
        return;
    }
    init.set_headers(&JsValue::from(headers));
    // The answer does not matter: a goodbye that fails is replaced by the time running out.
    let _ = window.fetch_with_str_and_init(&format!("{}?{query}", api_url(&path(session))), &init);
}

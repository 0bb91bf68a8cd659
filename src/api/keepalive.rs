//! Requests that outlive the page (`keepalive`): what a page says as it goes (presence's
//! goodbye, the notes typed but not yet acknowledged). Nothing to wait for or report: the
//! page is gone by the time they answer. The browser caps what such requests carry at once
//! (64 KiB); one over it is not sent.

use tandem_protocol::API_VERSION;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use super::extensions;
use crate::config::api_url;

thread_local! {
    /// Takes a failed request's rejection, one handler for every request of the page.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

/// Sends `method` to the API's `path` (query included), with a JSON body when there is one.
pub fn send(method: &str, path: &str, json: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    if extensions::refuse_known_missing(path).is_err() {
        return;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    // `keepalive` is not in web-sys' RequestInit yet; it is a plain field of the JS object.
    if js_sys::Reflect::set(&init, &JsValue::from_str("keepalive"), &JsValue::TRUE).is_err() {
        return;
    }
    init.set_credentials(web_sys::RequestCredentials::Include);
    let Ok(headers) = web_sys::Headers::new() else { return };
    if headers.set("X-Version", API_VERSION).is_err() {
        return;
    }
    if let Some(json) = json {
        if headers.set("Content-Type", "application/json").is_err() {
            return;
        }
        init.set_body(&JsValue::from_str(json));
    }
    init.set_headers(&JsValue::from(headers));
    // A failure has no one left to tell, but is caught: an offline goodbye (signing out
    // with the server unreachable) must not reach the console as an uncaught rejection.
    let sent = window.fetch_with_str_and_init(&api_url(path), &init);
    IGNORE.with(|ignore| drop(sent.catch(ignore)));
}

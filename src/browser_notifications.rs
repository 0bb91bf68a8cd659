//! Browser notifications of new inbox items [extension], for a person who turned them on in
//! this browser (Settings; the choice is kept in localStorage, per browser) and whose browser
//! allows them. Only the tab that holds the event stream shows one, and only while it is in
//! the background; each carries its item's id as its `tag`, so the browser never shows one
//! item twice. Clicking it brings the window forward and opens the item's page.

use js_sys::Reflect;
use tandem_protocol::{Event, Notification};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::domain::notifications::{address, what};
use crate::navigation::{load, Load};
use crate::stores::connection::ConnectionStore;
use crate::stores::dispatch;

/// localStorage key of the person's choice on this browser ("on" when chosen).
pub const CHOICE_KEY: &str = "tandem:browser-notifications";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The browser allows this site to show notifications.
pub const GRANTED: &str = "granted";
/// The browser (or the person, in its settings) blocks them.
pub const DENIED: &str = "denied";

/// What the browser allows this site (`Notification.permission`: [`GRANTED`], [`DENIED`] or
/// "default", not asked yet); None where it has no notifications. Read as text: web-sys'
/// enum would cost the app its conversions for one comparison.
pub fn permission() -> Option<String> {
    let class = Reflect::get(&js_sys::global(), &JsValue::from_str("Notification")).ok()?;
    Reflect::get(&class, &JsValue::from_str("permission")).ok()?.as_string()
}

/// Whether the person turned them on in this browser.
pub fn chosen() -> bool {
    storage().and_then(|storage| storage.get_item(CHOICE_KEY).ok().flatten()).is_some_and(|value| value == "on")
}

/// Keeps the person's choice for this browser.
pub fn choose(on: bool) {
    if let Some(storage) = storage() {
        let _ = if on { storage.set_item(CHOICE_KEY, "on") } else { storage.remove_item(CHOICE_KEY) };
    }
}

/// Asks the browser for permission (it may ask the person) and returns its answer.
pub async fn ask() -> Option<String> {
    let asked = web_sys::Notification::request_permission().ok()?;
    wasm_bindgen_futures::JsFuture::from(asked).await.ok()?.as_string()
}

/// Shows a new inbox item when this tab should (see the module documentation).
pub fn on_event(event: &Event) {
    let Event::NotificationCreated(created) = event else { return };
    let hidden = web_sys::window().and_then(|window| window.document()).is_some_and(|document| document.hidden());
    if hidden && dispatch::<ConnectionStore>().get().leader && chosen() && permission().as_deref() == Some(GRANTED) {
        show(&created.notification);
    }
}

fn show(item: &Notification) {
    let options = web_sys::NotificationOptions::new();
    options.set_body(&item.subject);
    options.set_tag(&item.id.to_string());
    let title = format!("{}{}", item.actor_name, what(item.kind));
    let Ok(shown) = web_sys::Notification::new_with_options(&title, &options) else { return };
    let href = address(item).map(|(_, href)| href);
    let closing = shown.clone();
    let on_click = Closure::once_into_js(move || {
        closing.close();
        if let Some(window) = web_sys::window() {
            let _ = window.focus();
        }
        if let Some(href) = href {
            load(&href, Load::Assign);
        }
    });
    shown.set_onclick(Some(on_click.unchecked_ref()));
}

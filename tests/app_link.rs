//! Links between the three apps in a real browser: within the running app a link goes
//! through the router; to a page of another app it is a plain link, which the browser loads
//! in full (the server then hands out that page's app).

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use common::*;
use gloo::events::{EventListener, EventListenerOptions};
use tandem::components::app_link::AppLink;
use tandem::navigation::Running;
use tandem::routes::{Part, Route};
use tandem_protocol::CoachingSessionId;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;
use yew_router::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const HERE: &str = "/coaching-sessions/2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
const NEXT: &str = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a02";

/// Props of [`Links`].
#[derive(Properties, PartialEq)]
struct LinksProps {
    part: Part,
}

/// Links to another session, the dashboard and the settings, as the app `part` draws them,
/// and where its router stands.
#[component]
fn Links(props: &LinksProps) -> Html {
    let running = Running { part: props.part, started_at: AttrValue::from(HERE) };
    let at = use_location().map(|location| location.path().to_owned()).unwrap_or_default();
    let next: CoachingSessionId = NEXT.parse().expect("a session id");
    html! {
        <ContextProvider<Running> context={running}>
            <AppLink to={Route::CoachingSession { id: next }} classes="to-session">{ "Next session" }</AppLink>
            <AppLink to={Route::Dashboard} classes="to-dashboard">{ "All sessions" }</AppLink>
            <AppLink to={Route::Settings} classes="to-settings">{ "Settings" }</AppLink>
            <p id="router-at">{ at }</p>
        </ContextProvider<Running>>
    }
}

/// Clicks `selector` and says whether the app kept the click (its router took it) rather than
/// leaving it to the browser, which would load the link's address in full. The click's
/// default is prevented afterwards either way, so the test page stays.
async fn router_took(root: &Element, selector: &str) -> bool {
    let prevented = Rc::new(Cell::new(None));
    let seen = prevented.clone();
    let options = EventListenerOptions::enable_prevent_default();
    let _last = EventListener::new_with_options(&gloo::utils::window(), "click", options, move |event| {
        seen.set(Some(event.default_prevented()));
        event.prevent_default();
    });
    click(root, selector).await;
    prevented.get().expect("the click reached the window")
}

#[wasm_bindgen_test]
async fn in_the_session_app_another_session_opens_through_the_router_and_the_rest_load_in_full() {
    let root = render(HERE, html! { <Links part={Part::Session} /> }).await;
    assert_eq!(find(&root, ".to-session").get_attribute("href"), Some(format!("/coaching-sessions/{NEXT}")));
    assert_eq!(find(&root, ".to-dashboard").get_attribute("href").as_deref(), Some("/dashboard"));
    assert!(!router_took(&root, ".to-dashboard").await, "the dashboard is the main app's");
    assert!(!router_took(&root, ".to-settings").await, "the settings are the accounts app's");
    assert_eq!(text(&root, "#router-at"), HERE);
    assert!(router_took(&root, ".to-session").await, "a session is this app's");
    assert_eq!(text(&root, "#router-at"), format!("/coaching-sessions/{NEXT}"));
}

#[wasm_bindgen_test]
async fn in_the_main_app_a_session_loads_in_full_and_the_dashboard_opens_through_the_router() {
    let root = render("/actions", html! { <Links part={Part::Main} /> }).await;
    assert!(!router_took(&root, ".to-session").await, "a session is the session app's");
    assert_eq!(text(&root, "#router-at"), "/actions");
    assert!(router_took(&root, ".to-dashboard").await, "the dashboard is this app's");
    assert_eq!(text(&root, "#router-at"), "/dashboard");
}

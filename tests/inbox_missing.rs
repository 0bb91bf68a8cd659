//! The inbox's bell against a server without an inbox (the reference backend answers 404):
//! nothing is shown, and the page does not ask again. A file of its own: once found missing,
//! the inbox stays missing for the rest of the page.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::components::inbox::InboxBell;
use tandem::stores::auth::AuthStore;
use tandem::stores::{dispatch, effects};
use tandem_protocol::LoginUser;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_server_without_an_inbox_shows_no_bell_and_is_asked_once() {
    let me: LoginUser = serde_json::from_value(serde_json::json!({
        "id": "00000000-0000-4000-8000-0000000000e9", "email": "sam@example.com", "first_name": "Sam",
        "last_name": "Rivera", "display_name": null, "timezone": "UTC", "roles": []}))
    .unwrap();
    dispatch::<AuthStore>().set(AuthStore { user: Some(me.clone()), ..Default::default() });
    fake_server(&[]);
    let root = render("/dashboard", html! { <InboxBell me={me.clone()} /> }).await;
    wait_for(|| requests().iter().any(|(_, url, _)| url.contains("/notifications"))).await;
    for _ in 0..20 {
        yew::scheduler::flush().await;
        gloo::timers::future::TimeoutFuture::new(5).await;
    }
    assert!(!exists(&root, "[data-testid=inbox-bell]"));
    // A reconnect revalidates everything; another page mounts its own bell: neither asks.
    effects::revalidate_everything();
    let again = render("/actions", html! { <InboxBell {me} /> }).await;
    for _ in 0..20 {
        yew::scheduler::flush().await;
        gloo::timers::future::TimeoutFuture::new(5).await;
    }
    assert!(requests().is_empty(), "asked again");
    assert!(!exists(&again, "[data-testid=inbox-bell]"));
}

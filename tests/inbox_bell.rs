//! The inbox's bell in a real browser against a fake server: the unread count in its name
//! and badge, the panel (opening it marks the unread items read), events through the cache
//! (a new item on top, items read in another tab), Escape, and the empty panel.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::components::inbox::{InboxBell, EMPTY};
use tandem::stores::auth::AuthStore;
use tandem::stores::{dispatch, effects};
use tandem_protocol::{Event, LoginUser};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn person(id: &str) -> LoginUser {
    let user: LoginUser = serde_json::from_value(serde_json::json!({
        "id": id, "email": "sam@example.com", "first_name": "Sam", "last_name": "Rivera",
        "display_name": null, "timezone": "UTC", "roles": []}))
    .unwrap();
    dispatch::<AuthStore>().set(AuthStore { user: Some(user.clone()), ..Default::default() });
    user
}

fn item(id: &str, kind: &str, subject: &str, minute: u32, read: bool) -> serde_json::Value {
    serde_json::json!({
        "id": id, "kind": kind, "actor_id": null, "actor_name": "Alex Morgan", "subject": subject,
        "coaching_session_id": "00000000-0000-4000-8000-00000000c001",
        "action_id": "00000000-0000-4000-8000-00000000c002", "session_date": null,
        "created_at": format!("2026-12-01T09:{minute:02}:00Z"),
        "read_at": if read { serde_json::json!("2026-12-01T10:00:00Z") } else { serde_json::Value::Null },
    })
}

fn event(name: &str, data: serde_json::Value) -> Event {
    tandem_protocol::decode_event(name, &serde_json::json!({"type": name, "data": data}).to_string()).unwrap()
}

fn count(root: &web_sys::Element) -> Option<String> {
    root.query_selector("[data-testid=inbox-count]").unwrap().map(|badge| badge.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn the_bell_counts_unread_items_and_opening_it_marks_them_read() {
    const ME: &str = "00000000-0000-4000-8000-0000000000e1";
    const FIRST: &str = "00000000-0000-4000-8000-0000000000f1";
    const SECOND: &str = "00000000-0000-4000-8000-0000000000f2";
    const OLD: &str = "00000000-0000-4000-8000-0000000000f3";
    let inbox = serde_json::json!({"unread": 2, "items": [
        item(SECOND, "agreement_added", "Meet weekly", 30, false),
        item(FIRST, "action_assigned", "Draft the outline", 20, false),
        item(OLD, "session_scheduled", "Kick-off", 10, true),
    ]});
    fake_server(&[
        answer("GET", "/notifications", 200, envelope(inbox)),
        answer(
            "POST",
            "/notifications/read",
            200,
            envelope(serde_json::json!({"ids": [SECOND, FIRST], "read_at": "2026-12-01T10:00:00Z", "unread": 0})),
        ),
    ]);
    let me = person(ME);
    let root = render("/dashboard", html! { <InboxBell me={me} /> }).await;
    wait_for(|| count(&root).as_deref() == Some("2")).await;
    let bell = find(&root, "[data-testid=inbox-bell]");
    assert_eq!(bell.get_attribute("aria-label").as_deref(), Some("Notifications, 2 unread"));
    assert_eq!(bell.get_attribute("aria-expanded").as_deref(), Some("false"));
    assert_eq!(text(&root, "[role=status]"), "Notifications, 2 unread", "announced politely");
    assert!(!exists(&root, "[data-testid=inbox-panel]"));
    requests();

    click(&root, "[data-testid=inbox-bell]").await;
    assert!(exists(&root, "[data-testid=inbox-panel]"));
    let items = root.query_selector_all("[data-testid=inbox-item]").unwrap();
    assert_eq!(items.length(), 3);
    let first: web_sys::Element = items.item(0).unwrap().dyn_into().unwrap();
    assert_eq!(first.text_content().unwrap(), "Unread: Alex Morgan added an agreementMeet weeklyTue 1 Dec 2026, 09:30");
    let link = |at: u32| {
        let item: web_sys::Element = items.item(at).unwrap().dyn_into().unwrap();
        item.query_selector("a").unwrap().unwrap().get_attribute("href").unwrap()
    };
    assert_eq!(link(0), "/coaching-sessions/00000000-0000-4000-8000-00000000c001?panel=agreements");
    assert_eq!(
        link(1),
        "/coaching-sessions/00000000-0000-4000-8000-00000000c001?highlight=00000000-0000-4000-8000-00000000c002"
    );
    assert_eq!(link(2), "/coaching-sessions/00000000-0000-4000-8000-00000000c001");
    assert_eq!(root.query_selector_all(".inbox-item.unread").unwrap().length(), 2);
    // Opening marks the shown unread items read, by id.
    wait_for(|| requests().iter().any(|(method, url, _)| method == "POST" && url.ends_with("/notifications/read")))
        .await;

    // The server tells every tab (this one too): the count clears, the items stay marked as
    // new while the panel is open.
    effects::apply_event(&event(
        "notifications_read",
        serde_json::json!({"ids": [SECOND, FIRST], "read_at": "2026-12-01T10:00:00Z", "unread": 0}),
    ));
    wait_for(|| count(&root).is_none()).await;
    assert_eq!(find(&root, "[data-testid=inbox-bell]").get_attribute("aria-label").as_deref(), Some("Notifications"));
    assert_eq!(root.query_selector_all(".inbox-item.unread").unwrap().length(), 2);

    // A new item arrives as an event: on top, counted, with no request.
    const NEW: &str = "00000000-0000-4000-8000-0000000000f4";
    let created = event(
        "notification_created",
        serde_json::json!({"notification": item(NEW, "session_moved", "Check-in", 40, false)}),
    );
    effects::apply_event(&created);
    effects::apply_event(&created);
    wait_for(|| count(&root).as_deref() == Some("1")).await;
    let items = root.query_selector_all("[data-testid=inbox-item]").unwrap();
    assert_eq!(items.length(), 4, "the same event twice adds it once");
    assert!(items.item(0).unwrap().text_content().unwrap().contains("Alex Morgan moved a session"));
    assert!(requests().iter().all(|(method, ..)| method != "GET"), "no request for a new item");

    // Escape closes the panel and gives the bell the focus back.
    let panel = find(&root, "[data-testid=inbox-panel]");
    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    escape.set_bubbles(true);
    panel
        .dispatch_event(&web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert!(!exists(&root, "[data-testid=inbox-panel]"));
    let focused = gloo::utils::document().active_element().unwrap();
    assert_eq!(focused.get_attribute("data-testid").as_deref(), Some("inbox-bell"));
}

#[wasm_bindgen_test]
async fn an_empty_inbox_says_what_will_show_there() {
    const ME: &str = "00000000-0000-4000-8000-0000000000e2";
    fake_server(&[answer("GET", "/notifications", 200, envelope(serde_json::json!({"unread": 0, "items": []})))]);
    let me = person(ME);
    let root = render("/dashboard", html! { <InboxBell me={me} /> }).await;
    wait_for(|| exists(&root, "[data-testid=inbox-bell]")).await;
    assert!(count(&root).is_none());
    requests();
    click(&root, "[data-testid=inbox-bell]").await;
    assert_eq!(text(&root, "[data-testid=inbox-panel] p"), EMPTY);
    assert!(requests().is_empty(), "nothing to mark read");
}

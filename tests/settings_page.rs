//! The settings page in a real browser against a fake server: the profile form starts from
//! the person's profile, sends only what changed, and the saved profile reaches the auth
//! store (the header's name, every shown time); a refused password change says why.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::components::notification_settings::NotificationSections;
use tandem::pages::settings::SettingsPage;
use tandem::stores::auth::AuthStore;
use tandem::stores::dispatch;
use tandem_protocol::LoginUser;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn profile(id: &str, first_name: &str, timezone: &str, version: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "email": "sam@example.com", "first_name": first_name, "last_name": "Rivera",
        "display_name": null, "github_username": null, "github_profile_url": null, "timezone": timezone,
        "default_coaching_session_duration_minutes": 60, "roles": [],
        "created_at": "2026-11-26T04:44:14Z", "updated_at": version
    })
}

fn sign_in(id: &str) {
    let user: LoginUser = serde_json::from_value(serde_json::json!({
        "id": id, "email": "sam@example.com", "first_name": "Sam", "last_name": "Rivera",
        "display_name": null, "timezone": "UTC", "roles": []}))
    .unwrap();
    dispatch::<AuthStore>().set(AuthStore { user: Some(user), ..Default::default() });
}

fn value(root: &web_sys::Element, selector: &str) -> String {
    use wasm_bindgen::JsCast;
    find(root, selector).dyn_into::<web_sys::HtmlInputElement>().map(|input| input.value()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_saved_profile_sends_what_changed_and_reaches_the_header_and_the_time_zone() {
    const ID: &str = "00000000-0000-4000-8000-0000000000d1";
    let path = format!("/users/{ID}");
    fake_server(&[
        answer("GET", "/organizations", 200, envelope(serde_json::json!([]))),
        answer("GET", "/notification_settings", 404, "NOT FOUND"),
        answer("GET", "/calendar_feed", 404, "NOT FOUND"),
        answer("GET", &path, 200, envelope(profile(ID, "Sam", "UTC", "2026-11-26T04:44:14Z"))),
    ]);
    sign_in(ID);
    let root = render("/settings", html! { <SettingsPage /> }).await;
    wait_for(|| exists(&root, "#profile-first-name")).await;
    for (id, label) in [
        ("profile-first-name", "First name"),
        ("profile-last-name", "Last name"),
        ("profile-display-name", "Display name"),
        ("profile-email", "Email"),
        ("profile-time-zone", "Time zone"),
        ("profile-session-length", "Default session length (minutes)"),
        ("change-password-current", "Current password"),
        ("change-password-password", "New password"),
        ("change-password-confirm", "Confirm password"),
    ] {
        assert_eq!(text(&root, &format!("label[for={id}]")), label);
    }
    assert_eq!(value(&root, "#profile-first-name"), "Sam");
    assert_eq!(value(&root, "#profile-session-length"), "60");
    assert!(exists(&root, "#profile-time-zone option[value='Europe/Berlin']"), "the browser's zones");
    assert_eq!(text(&root, ".profile-form button[type=submit]"), "Save profile");
    // A server without notifications (the reference backend): no such sections, no bell.
    assert!(!exists(&root, "[data-testid=notification-settings]"));
    assert!(!exists(&root, "[data-testid=calendar-feed]"));
    assert!(!exists(&root, "[data-testid=inbox-bell]"));
    requests();

    // A problem is named at its field, and nothing is sent.
    type_into(&root, "#profile-first-name", " ").await;
    submit(&root, ".profile-form").await;
    assert_eq!(text(&root, "#profile-first-name-error"), "Enter your first name.");
    assert!(requests().is_empty());

    fake_server(&[
        answer("GET", "/organizations", 200, envelope(serde_json::json!([]))),
        answer("GET", "/notification_settings", 404, "NOT FOUND"),
        answer("GET", "/calendar_feed", 404, "NOT FOUND"),
        answer("PUT", &path, 200, r#"{"status_code":204,"data":null}"#),
        answer("GET", &path, 200, envelope(profile(ID, "Samantha", "Europe/Berlin", "2026-11-27T04:44:14Z"))),
    ]);
    type_into(&root, "#profile-first-name", "Samantha").await;
    choose(&root, "#profile-time-zone", "Europe/Berlin").await;
    submit(&root, ".profile-form").await;
    wait_for(|| exists(&root, "[data-testid=profile-saved]")).await;
    let sent = requests();
    let put = sent.iter().find(|(method, ..)| method == "PUT").expect("a PUT");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.2).unwrap(),
        serde_json::json!({"first_name": "Samantha", "timezone": "Europe/Berlin"})
    );
    assert!(sent.iter().any(|(method, url, _)| method == "GET" && url.ends_with(&path)), "read again: {sent:?}");
    let me = dispatch::<AuthStore>().get().user.clone().unwrap();
    assert_eq!((me.first_name.as_str(), me.timezone.as_str()), ("Samantha", "Europe/Berlin"));
    assert_eq!(dispatch::<AuthStore>().get().session_minutes, Some(60));
    wait_for(|| text(&root, "[data-testid=person-name]") == "Samantha Rivera").await;
    wait_for(|| value(&root, "#profile-first-name") == "Samantha").await;
}

#[wasm_bindgen_test]
async fn a_refused_password_change_shows_the_servers_words_and_keeps_the_session() {
    const ID: &str = "00000000-0000-4000-8000-0000000000d2";
    let path = format!("/users/{ID}");
    fake_server(&[
        answer("GET", "/organizations", 200, envelope(serde_json::json!([]))),
        answer("GET", "/notification_settings", 404, "NOT FOUND"),
        answer("GET", "/calendar_feed", 404, "NOT FOUND"),
        answer("GET", &path, 200, envelope(profile(ID, "Sam", "UTC", "2026-11-26T04:44:14Z"))),
        answer(
            "PUT",
            "/password",
            422,
            r#"{"status_code":422,"error":"validation_error","message":"The current password is not correct."}"#,
        ),
    ]);
    sign_in(ID);
    let root = render("/settings", html! { <SettingsPage /> }).await;
    wait_for(|| exists(&root, "#change-password-current")).await;
    submit(&root, ".password-form").await;
    assert_eq!(text(&root, "#change-password-current-error"), "Enter your current password.");
    requests();

    type_into(&root, "#change-password-current", "not-it").await;
    type_into(&root, "#change-password-password", "a new secret").await;
    type_into(&root, "#change-password-confirm", "a new secret").await;
    submit(&root, ".password-form").await;
    wait_for(|| exists(&root, ".password-form p.alert")).await;
    assert_eq!(text(&root, ".password-form p.alert"), "The current password is not correct.");
    let put = requests().into_iter().find(|(method, ..)| method == "PUT").expect("a PUT");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.2).unwrap(),
        serde_json::json!({"current_password": "not-it", "new_password": "a new secret", "confirm_password": "a new secret"})
    );
    assert!(dispatch::<AuthStore>().get().user.is_some(), "still signed in");
}

fn checked(root: &web_sys::Element, selector: &str) -> bool {
    use wasm_bindgen::JsCast;
    find(root, selector).dyn_into::<web_sys::HtmlInputElement>().unwrap().checked()
}

#[wasm_bindgen_test]
async fn notification_settings_send_what_changed_and_the_feed_address_is_shown_once() {
    use wasm_bindgen::JsCast;
    const ID: &str = "00000000-0000-4000-8000-0000000000d3";
    let settings = |hour_before: bool, digest: bool| {
        envelope(serde_json::json!({"session_invites": true, "reminder_day_before": true,
            "reminder_hour_before": hour_before, "action_assigned": true, "action_digest": digest}))
    };
    fake_server(&[
        answer("GET", "/notification_settings", 200, settings(false, true)),
        answer("GET", "/calendar_feed", 200, envelope(serde_json::json!({"active": false, "created_at": null}))),
    ]);
    let person: tandem_protocol::UserId = ID.parse().unwrap();
    let root = render("/settings", html! { <NotificationSections {person} zone="UTC" /> }).await;
    wait_for(|| exists(&root, "#mail-hour-before")).await;
    for (id, label, on) in [
        ("mail-session-invites", "Session invitations, with a calendar file", true),
        ("mail-day-before", "A reminder a day before each session", true),
        ("mail-hour-before", "A reminder an hour before each session", false),
        ("mail-action-assigned", "When someone assigns me an action", true),
        ("mail-action-digest", "A daily digest of my actions due soon", true),
    ] {
        assert_eq!(text(&root, &format!("label[for={id}]")), label);
        assert_eq!(checked(&root, &format!("#{id}")), on, "{id}");
    }
    assert!(exists(&root, "#browser-notifications[role=switch]"));
    requests();

    fake_server(&[
        answer("PUT", "/notification_settings", 200, settings(true, false)),
        answer(
            "POST",
            "/calendar_feed",
            200,
            envelope(serde_json::json!({"active": true,
            "created_at": "2026-12-01T10:00:00Z", "url": "http://tandem.test/calendar/secret.ics"})),
        ),
        answer("DELETE", "/calendar_feed", 200, r#"{"status_code":204,"data":null}"#),
    ]);
    click(&root, "#mail-hour-before").await;
    click(&root, "#mail-action-digest").await;
    submit(&root, ".mail-form").await;
    wait_for(|| exists(&root, "[data-testid=notifications-saved]")).await;
    let put = requests().into_iter().find(|(method, ..)| method == "PUT").expect("a PUT");
    assert!(put.1.ends_with(&format!("/users/{ID}/notification_settings")), "{}", put.1);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&put.2).unwrap(),
        serde_json::json!({"reminder_hour_before": true, "action_digest": false})
    );
    assert!(checked(&root, "#mail-hour-before") && !checked(&root, "#mail-action-digest"));

    // The calendar feed: made on request, its address shown this once.
    click(&root, "[data-testid=calendar-feed] button.button-secondary").await;
    wait_for(|| exists(&root, "[data-testid=calendar-feed-url]")).await;
    let url = find(&root, "[data-testid=calendar-feed-url]").dyn_into::<web_sys::HtmlInputElement>().unwrap().value();
    assert_eq!(url, "http://tandem.test/calendar/secret.ics");
    assert!(text(&root, "#calendar-feed-warning").contains("shown only this once"));
    assert_eq!(text(&root, "[data-testid=calendar-feed-state]"), "Your feed is on since Tue 1 Dec 2026.");
    // Turning it off asks first.
    click(&root, "[data-testid=calendar-feed] .row-actions button:nth-of-type(2)").await;
    click(&root, "[data-testid=calendar-feed] .button-danger").await;
    wait_for(|| exists(&root, "[data-testid=calendar-feed] button.button-secondary")).await;
    assert!(!exists(&root, "[data-testid=calendar-feed-url]"));
    assert!(requests().iter().any(|(method, url, _)| method == "DELETE" && url.ends_with("/calendar_feed")));
}

//! The pages that set a password through a link, and the request for one, in a real
//! browser against a fake server: a link that no longer works gets its clear page, a valid
//! one the password form with the rule, and the server's refusal is shown as it said it.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::pages::passwords::{ForgotPasswordPage, ResetPasswordPage, SetupPage, RESET_REQUESTED};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn invited_user() -> serde_json::Value {
    serde_json::json!({
        "id": "00000000-0000-4000-8000-0000000000c1", "email": "cy@example.com", "first_name": "Cy",
        "last_name": "Coachee", "display_name": null, "github_username": null, "github_profile_url": null,
        "timezone": "UTC", "default_coaching_session_duration_minutes": 60, "roles": [],
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"
    })
}

#[wasm_bindgen_test]
async fn an_invitation_link_that_no_longer_works_gets_a_clear_page() {
    fake_server(&[answer(
        "GET",
        "/magic-link/validate",
        400,
        r#"{"status_code":400,"error":"invalid_or_expired_token","message":"The link is invalid or has expired."}"#,
    )]);
    let root = render("/setup/used-token", html! { <SetupPage token="used-token" /> }).await;
    wait_for(|| exists(&root, "[data-testid=link-invalid]")).await;
    assert_eq!(text(&root, "h1"), "Set up your account");
    let invalid = find(&root, "[data-testid=link-invalid]");
    assert_eq!(invalid.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        invalid.text_content().unwrap(),
        "This invitation link is no longer valid. Ask your coach for a new invitation."
    );
    assert!(!exists(&root, "form"), "no password form for a dead link");
    let asked = requests();
    assert_eq!(asked.len(), 1);
    assert!(asked[0].1.contains("/magic-link/validate?token=used-token"), "{asked:?}");
}

#[wasm_bindgen_test]
async fn an_unknown_invitation_answered_in_plain_text_gets_the_same_page() {
    fake_server(&[answer("GET", "/magic-link/validate", 404, "NOT FOUND")]);
    let root = render("/setup/forged", html! { <SetupPage token="forged" /> }).await;
    wait_for(|| exists(&root, "[data-testid=link-invalid]")).await;
    requests();
}

#[wasm_bindgen_test]
async fn a_valid_invitation_asks_for_the_password_twice_and_shows_the_servers_refusal() {
    fake_server(&[
        answer("GET", "/magic-link/validate", 200, envelope(invited_user())),
        answer(
            "POST",
            "/magic-link/complete-setup",
            422,
            r#"{"status_code":422,"error":"validation_error","message":"Passwords must not contain your email address."}"#,
        ),
    ]);
    let root = render("/setup/good-token", html! { <SetupPage token="good-token" /> }).await;
    wait_for(|| exists(&root, "form")).await;
    assert!(text(&root, "[data-testid=link-person]").contains("Cy Coachee"));
    assert_eq!(text(&root, "label[for=set-password-password]"), "New password");
    assert_eq!(text(&root, "label[for=set-password-confirm]"), "Confirm password");
    assert_eq!(text(&root, "#set-password-password-hint"), "Use 8 to 128 characters.");
    assert_eq!(text(&root, "form button[type=submit]"), "Set password");

    // Checked before asking the server.
    type_into(&root, "#set-password-password", "short").await;
    type_into(&root, "#set-password-confirm", "shorter").await;
    submit(&root, "form").await;
    assert_eq!(text(&root, "#set-password-password-error"), "The password must have 8 to 128 characters.");
    assert_eq!(text(&root, "#set-password-confirm-error"), "The two passwords don't match.");
    requests();

    type_into(&root, "#set-password-password", "cy@example.com-secret").await;
    type_into(&root, "#set-password-confirm", "cy@example.com-secret").await;
    submit(&root, "form").await;
    wait_for(|| exists(&root, "form p.alert[role=alert]")).await;
    assert_eq!(text(&root, "form p.alert"), "Passwords must not contain your email address.");
    let sent = requests();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body: serde_json::Value = serde_json::from_str(&sent[0].2).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"token": "good-token", "password": "cy@example.com-secret", "confirm_password": "cy@example.com-secret"})
    );
}

#[wasm_bindgen_test]
async fn a_reset_link_that_no_longer_works_points_to_a_new_request() {
    fake_server(&[answer("POST", "/password-reset/validate", 400, "BAD REQUEST")]);
    let root = render("/reset-password/old", html! { <ResetPasswordPage token="old" /> }).await;
    wait_for(|| exists(&root, "[data-testid=link-invalid]")).await;
    assert_eq!(text(&root, "[data-testid=link-invalid]"), "This link is no longer valid. Ask for a new one.");
    assert!(exists(&root, "a[href='/forgot-password']"));
    assert_eq!(requests()[0].2, r#"{"token":"old"}"#);
}

#[wasm_bindgen_test]
async fn a_reset_request_always_gets_the_same_answer_and_a_rate_limit_its_message() {
    fake_server(&[answer("POST", "/password-reset/request", 200, r#"{"status_code":200,"data":null}"#)]);
    let root = render("/forgot-password", html! { <ForgotPasswordPage /> }).await;
    assert_eq!(text(&root, "label[for=forgot-email]"), "Email");
    submit(&root, "form").await;
    assert_eq!(text(&root, "#forgot-email-error"), "Enter an email address.");
    type_into(&root, "#forgot-email", " nobody@example.com ").await;
    submit(&root, "form").await;
    wait_for(|| exists(&root, "[data-testid=reset-requested]")).await;
    assert_eq!(text(&root, "[data-testid=reset-requested]"), RESET_REQUESTED);
    assert_eq!(requests()[0].2, r#"{"email":"nobody@example.com"}"#);

    fake_server(&[answer(
        "POST",
        "/password-reset/request",
        429,
        r#"{"status_code":429,"error":"password_reset_rate_limited","message":"Too many reset requests. Try again in a minute."}"#,
    )]);
    submit(&root, "form").await;
    wait_for(|| exists(&root, "p.alert[role=alert]")).await;
    assert_eq!(text(&root, "p.alert"), "Too many reset requests. Try again in a minute.");
    assert!(!exists(&root, "[data-testid=reset-requested]"));
    requests();
}

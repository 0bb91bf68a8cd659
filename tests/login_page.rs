//! The login page in a real browser: its form, its field errors and its reasons.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::pages::login::LoginPage;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_form_has_labelled_email_and_password_fields_and_a_submit_button() {
    let root = render("/login", html! { <LoginPage /> }).await;
    assert_eq!(text(&root, "h1"), "Sign in");
    let email = find(&root, "form input#login-email");
    assert_eq!(email.get_attribute("type").as_deref(), Some("email"));
    assert_eq!(email.get_attribute("autocomplete").as_deref(), Some("username"));
    assert_eq!(text(&root, "label[for=login-email]"), "Email");
    let password = find(&root, "form input#login-password");
    assert_eq!(password.get_attribute("type").as_deref(), Some("password"));
    assert_eq!(text(&root, "label[for=login-password]"), "Password");
    assert_eq!(text(&root, "form button[type=submit]"), "Sign in");
    assert!(!exists(&root, "[data-testid=login-reason]"), "no reason without one in the URL");
}

#[wasm_bindgen_test]
async fn submitting_an_empty_form_shows_field_errors_and_sends_nothing() {
    let root = render("/login", html! { <LoginPage /> }).await;
    click(&root, "form button[type=submit]").await;
    assert_eq!(text(&root, "#login-email-error"), "Enter your email address.");
    assert_eq!(text(&root, "#login-password-error"), "Enter your password.");
    assert_eq!(find(&root, "#login-email").get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(find(&root, "#login-email").get_attribute("aria-describedby").as_deref(), Some("login-email-error"));
    // Nothing was sent, so the button is not busy.
    assert_eq!(text(&root, "form button[type=submit]"), "Sign in");

    type_into(&root, "#login-email", "not-an-email").await;
    type_into(&root, "#login-password", "secret").await;
    click(&root, "form button[type=submit]").await;
    assert_eq!(text(&root, "#login-email-error"), "Enter an email address like name@example.com.");
    assert!(!exists(&root, "#login-password-error"));
}

#[wasm_bindgen_test]
async fn the_reason_in_the_url_is_shown_in_words() {
    let root =
        render("/login?reason=forced_logout&message=Your%20password%20was%20changed", html! { <LoginPage /> }).await;
    assert_eq!(text(&root, "[data-testid=login-reason]"), "You were signed out: Your password was changed");
    let root = render("/login?reason=session_expired", html! { <LoginPage /> }).await;
    assert_eq!(text(&root, "[data-testid=login-reason]"), "Your session has ended. Please sign in again.");
}

//! `/login`: email and password, with errors per field, a wrong-password message, a
//! server-unreachable message, and the reason the person was signed out.

use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::use_store_value;

use crate::api::{self, ApiError};
use crate::components::app_link::AppLink;
use crate::components::form::set_text;
use crate::domain::accounts::looks_like_email;
use crate::navigation::use_go_to;
use crate::routes::{safe_next, LoginQuery, Route};
use crate::session;
use crate::stores::auth::{AuthStore, SignOutReason};

/// Problems with what was typed, found before asking the server.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldErrors {
    pub email: Option<&'static str>,
    pub password: Option<&'static str>,
}

impl FieldErrors {
    /// Checks the form the way a person would expect.
    pub fn check(email: &str, password: &str) -> FieldErrors {
        let email = email.trim();
        FieldErrors {
            email: if email.is_empty() {
                Some("Enter your email address.")
            } else if !looks_like_email(email) {
                Some("Enter an email address like name@example.com.")
            } else {
                None
            },
            password: password.is_empty().then_some("Enter your password."),
        }
    }

    /// Whether the form may be sent.
    pub fn is_empty(&self) -> bool {
        self.email.is_none() && self.password.is_none()
    }
}

/// What the server said, in words for the person.
pub fn sign_in_error(error: &ApiError) -> String {
    match error {
        ApiError::Unauthorized => "That email and password don't match. Please try again.".into(),
        other => other.message(),
    }
}

/// The login page.
#[component]
pub fn LoginPage() -> Html {
    crate::render_count::count_render();
    let auth = use_store_value::<AuthStore>();
    let go_to = use_go_to();
    let query = use_location().and_then(|l| l.query::<LoginQuery>().ok()).unwrap_or_default();
    let email = use_state(String::new);
    let password = use_state(String::new);
    let field_errors = use_state(FieldErrors::default);
    let error = use_state(|| None::<String>);
    let submitting = use_state(|| false);

    // Signed in (here or in another tab): go on to where the person was heading.
    {
        let next = safe_next(query.next.as_deref());
        use_effect_with(auth.is_signed_in(), move |signed_in| {
            if *signed_in {
                let path = next.as_deref().map(|p| p.split('?').next().unwrap_or(p));
                go_to.push(&path.and_then(Route::recognize).unwrap_or(Route::Dashboard));
            }
        });
    }

    let (on_email, on_password) = (set_text(&email), set_text(&password));
    let on_submit = {
        let (email, password, field_errors, error, submitting) =
            (email.clone(), password.clone(), field_errors.clone(), error.clone(), submitting.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if *submitting {
                return;
            }
            let checked = FieldErrors::check(&email, &password);
            let valid = checked.is_empty();
            field_errors.set(checked);
            error.set(None);
            if !valid {
                return;
            }
            submitting.set(true);
            let (email, password, error, submitting) =
                ((*email).trim().to_owned(), (*password).clone(), error.clone(), submitting.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::session::login(&email, &password).await {
                    Ok(user) => session::signed_in(user),
                    Err(failure) => error.set(Some(sign_in_error(&failure))),
                }
                submitting.set(false);
            });
        })
    };

    let notice = query.reason.as_deref().and_then(|reason| SignOutReason::describe(reason, query.message.as_deref()));
    let invalid = |e: Option<&str>| if e.is_some() { "true" } else { "false" };
    html! {
        <main class="login-page" id="main">
            <section class="login-card" aria-labelledby="login-title">
                <p class="brand brand-large">{ "Tandem" }</p>
                <h1 id="login-title">{ "Sign in" }</h1>
                if let Some(notice) = notice {
                    <p class="notice" role="status" data-testid="login-reason">{ notice }</p>
                }
                if let Some(message) = (*error).clone() {
                    <p class="alert" role="alert" data-testid="login-error">{ message }</p>
                }
                <form onsubmit={on_submit} novalidate=true>
                    <div class="field">
                        <label for="login-email">{ "Email" }</label>
                        <input id="login-email" name="email" type="email" autocomplete="username" inputmode="email"
                            value={(*email).clone()} oninput={on_email}
                            aria-invalid={invalid(field_errors.email)}
                            aria-describedby={field_errors.email.map(|_| "login-email-error")} />
                        if let Some(message) = field_errors.email {
                            <p class="field-error" id="login-email-error">{ message }</p>
                        }
                    </div>
                    <div class="field">
                        <label for="login-password">{ "Password" }</label>
                        <input id="login-password" name="password" type="password" autocomplete="current-password"
                            value={(*password).clone()} oninput={on_password}
                            aria-invalid={invalid(field_errors.password)}
                            aria-describedby={field_errors.password.map(|_| "login-password-error")} />
                        if let Some(message) = field_errors.password {
                            <p class="field-error" id="login-password-error">{ message }</p>
                        }
                    </div>
                    <button type="submit" class="button-primary" disabled={*submitting}>
                        { if *submitting { "Signing in…" } else { "Sign in" } }
                    </button>
                </form>
                <p class="card-foot"><AppLink to={Route::ForgotPassword}>{ "Forgot password?" }</AppLink></p>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_before_asking_the_server() {
        assert!(FieldErrors::check("coach@tandem.demo", "secret").is_empty());
        assert_eq!(FieldErrors::check("", "").email, Some("Enter your email address."));
        assert_eq!(FieldErrors::check("", "").password, Some("Enter your password."));
        assert_eq!(FieldErrors::check("coach", "x").email, Some("Enter an email address like name@example.com."));
        assert_eq!(FieldErrors::check("a b@c", "x").email, Some("Enter an email address like name@example.com."));
        assert!(FieldErrors::check("  coach@tandem.demo ", "x").email.is_none());
    }

    #[test]
    fn wrong_password_and_unreachable_server_read_differently() {
        assert_eq!(sign_in_error(&ApiError::Unauthorized), "That email and password don't match. Please try again.");
        assert!(sign_in_error(&ApiError::Network("Failed to fetch".into())).contains("Can't reach the Tandem server"));
    }
}

//! The pages that set a password without one: `/forgot-password` asks for a reset link;
//! an invitation's `/setup/:token` and a reset's `/reset-password/:token` check their link,
//! ask for the password twice, then sign the person in. A link that no longer works gets a
//! page that says so and what to do, never an error of the browser.

use tandem_protocol::SetPassword;
use yew::prelude::*;
use yewdux::use_store_value;

use crate::api::{self, ApiError};
use crate::components::app_link::AppLink;
use crate::components::form::input;
use crate::components::password_form::{PasswordForm, TypedPassword};
use crate::components::status::ErrorMessage;
use crate::domain::accounts::email_problem;
use crate::hooks::use_mutation;
use crate::navigation::use_go_to;
use crate::routes::Route;
use crate::session;
use crate::stores::auth::{AuthStore, SignOutReason};

/// What `/forgot-password` says after any well-formed request: it never tells whether the
/// address has an account.
pub const RESET_REQUESTED: &str = "If an account uses that email, a link to reset the password is on its way.";

/// The card every page of this module sits in, like the login page's.
fn card(title: &str, body: Html) -> Html {
    html! {
        <main class="login-page" id="main">
            <section class="login-card" aria-labelledby="card-title">
                <p class="brand brand-large">{ "Tandem" }</p>
                <h1 id="card-title">{ title }</h1>
                { body }
            </section>
        </main>
    }
}

/// `/forgot-password`.
#[component]
pub fn ForgotPasswordPage() -> Html {
    crate::render_count::count_render();
    let auth = use_store_value::<AuthStore>();
    let email = use_state(|| auth.user.as_ref().map(|user| user.email.clone()).unwrap_or_default());
    let problem = use_state(|| None::<&'static str>);
    let request = use_mutation(|email: String| async move { api::accounts::request_reset(&email).await }, |_: &()| {});
    let onsubmit = {
        let (email, problem, run, pending) = (email.clone(), problem.clone(), request.run.clone(), request.pending);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let found = email_problem(&email);
            problem.set(found);
            if found.is_none() && !pending {
                run.emit(email.trim().to_owned());
            }
        })
    };
    let body = html! {
        <>
            <p>{ "Type the email address of your account, and we'll send it a link to choose a new password." }</p>
            if request.last.is_some() && !request.pending && request.error.is_none() {
                <p class="notice" role="status" data-testid="reset-requested">{ RESET_REQUESTED }</p>
            }
            if let Some(error) = &request.error {
                <ErrorMessage error={error.clone()} />
            }
            <form {onsubmit} novalidate=true>
                { input("forgot-email", "Email", &email).kind("email", "username").problem(*problem).render() }
                <button type="submit" class="button-primary" disabled={request.pending}>
                    { if request.pending { "Sending…" } else { "Send reset link" } }
                </button>
            </form>
            <p class="card-foot"><AppLink to={Route::Login}>{ "Back to sign in" }</AppLink></p>
        </>
    };
    card("Reset your password", body)
}

/// Props of the pages of a link.
#[derive(Properties, PartialEq)]
pub struct TokenProps {
    pub token: AttrValue,
}

/// `/setup/:token`: an invited person sets their first password.
#[component]
pub fn SetupPage(props: &TokenProps) -> Html {
    html! { <SetPasswordPage purpose={Purpose::Invitation} token={props.token.clone()} /> }
}

/// `/reset-password/:token`: a person who forgot their password sets a new one.
#[component]
pub fn ResetPasswordPage(props: &TokenProps) -> Html {
    html! { <SetPasswordPage purpose={Purpose::Reset} token={props.token.clone()} /> }
}

/// Which link a page follows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Purpose {
    Invitation,
    Reset,
}

impl Purpose {
    fn title(self) -> &'static str {
        match self {
            Purpose::Invitation => "Set up your account",
            Purpose::Reset => "Choose a new password",
        }
    }

    /// What a link that no longer works says.
    pub fn invalid(self) -> &'static str {
        match self {
            Purpose::Invitation => "This invitation link is no longer valid. Ask your coach for a new invitation.",
            Purpose::Reset => "This link is no longer valid. Ask for a new one.",
        }
    }
}

/// Where a page of a link is.
#[derive(Clone, PartialEq)]
enum Stage {
    Checking,
    /// The server could not say (unreachable, failing, too many requests): try again.
    Unknown(ApiError),
    /// Used, expired, replaced or never issued.
    Invalid,
    /// Valid: whose it is, in words.
    Ready(String),
    /// The password is set; signing in did not work (why).
    Set(String),
}

/// Whether a failed check says nothing about the link itself.
pub fn says_nothing_of_the_link(error: &ApiError) -> bool {
    matches!(error, ApiError::Network(_) | ApiError::Server(_) | ApiError::Decode(_) | ApiError::TooManyRequests { .. })
}

/// Whether a refused password means the link stopped working meanwhile (400
/// `invalid_or_expired_token`, 404, 410) rather than a refused password (422).
pub fn link_refused(error: &ApiError) -> bool {
    matches!(error, ApiError::BadRequest(_) | ApiError::NotFound | ApiError::Unexpected { status: 410, .. })
}

#[derive(Properties, PartialEq)]
struct SetPasswordProps {
    purpose: Purpose,
    token: AttrValue,
}

#[component]
fn SetPasswordPage(props: &SetPasswordProps) -> Html {
    crate::render_count::count_render();
    let stage = use_state(|| Stage::Checking);
    let checks = use_state(|| 0u32);
    let pending = use_state(|| false);
    let refusal = use_state(|| None::<AttrValue>);
    let go_to = use_go_to();
    {
        let stage = stage.clone();
        use_effect_with((props.token.clone(), props.purpose, *checks), move |(token, purpose, _)| {
            stage.set(Stage::Checking);
            let (token, purpose) = (token.to_string(), *purpose);
            wasm_bindgen_futures::spawn_local(async move {
                let checked = match purpose {
                    Purpose::Invitation => api::accounts::validate_invitation(&token).await.map(|user| {
                        format!("Welcome, {}. Choose a password to sign in as {}.", user.name(), user.email)
                    }),
                    Purpose::Reset => api::accounts::validate_reset(&token)
                        .await
                        .map(|who| format!("Choose a new password for {} {}.", who.first_name, who.last_name)),
                };
                stage.set(match checked {
                    Ok(who) => Stage::Ready(who),
                    Err(error) if says_nothing_of_the_link(&error) => Stage::Unknown(error),
                    Err(_) => Stage::Invalid,
                });
            });
        });
    }
    let on_submit = {
        let (stage, pending, refusal) = (stage.clone(), pending.clone(), refusal.clone());
        let (token, purpose) = (props.token.to_string(), props.purpose);
        Callback::from(move |typed: TypedPassword| {
            pending.set(true);
            refusal.set(None);
            let input = SetPassword { token: token.clone(), password: typed.password, confirm_password: typed.confirm };
            let (stage, pending, refusal, go_to) = (stage.clone(), pending.clone(), refusal.clone(), go_to.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let set = match purpose {
                    Purpose::Invitation => api::accounts::complete_setup(&input).await,
                    Purpose::Reset => api::accounts::complete_reset(&input).await,
                };
                match set {
                    Ok(user) => {
                        // Whoever was signed in on this browser gives way to the person whose
                        // password this is (a reset also ends their other sessions).
                        session::end(SignOutReason::SignedOut);
                        match session::sign_in(&user.email, &input.password).await {
                            // The dashboard is the main app's: a full page load from here.
                            Ok(()) => go_to.push(&Route::Dashboard),
                            Err(error) => stage.set(Stage::Set(error.message())),
                        }
                    }
                    Err(error) if link_refused(&error) => stage.set(Stage::Invalid),
                    Err(error) => refusal.set(Some(error.message().into())),
                }
                pending.set(false);
            });
        })
    };
    let purpose = props.purpose;
    let body = match &*stage {
        Stage::Checking => html! { <p class="muted" role="status">{ "Checking your link…" }</p> },
        Stage::Unknown(error) => {
            let again = {
                let checks = checks.clone();
                Callback::from(move |_: MouseEvent| checks.set(*checks + 1))
            };
            html! {
                <>
                    <ErrorMessage error={error.clone()} />
                    <button type="button" class="button-primary" onclick={again}>{ "Try again" }</button>
                </>
            }
        }
        Stage::Invalid => html! {
            <>
                <p class="alert" role="alert" data-testid="link-invalid">{ purpose.invalid() }</p>
                if purpose == Purpose::Reset {
                    <p><AppLink to={Route::ForgotPassword}>{ "Ask for a new link" }</AppLink></p>
                }
                <p class="card-foot"><AppLink to={Route::Login}>{ "Go to sign in" }</AppLink></p>
            </>
        },
        Stage::Ready(who) => html! {
            <>
                <p data-testid="link-person">{ who }</p>
                <PasswordForm id="set-password" submit="Set password" busy="Setting password…" pending={*pending}
                    error={(*refusal).clone()} {on_submit} />
            </>
        },
        Stage::Set(problem) => html! {
            <>
                <p class="notice" role="status">{ "Your password is set." }</p>
                <p class="alert" role="alert">{ format!("Signing in did not work: {problem}") }</p>
                <p><AppLink to={Route::Login}>{ "Sign in" }</AppLink></p>
            </>
        },
    };
    card(purpose.title(), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_refused_by_the_server_reads_as_invalid_and_an_unreachable_one_does_not() {
        for refused in [
            ApiError::BadRequest("The link is invalid or has expired.".into()),
            ApiError::NotFound,
            ApiError::Unexpected { status: 410, message: String::new() },
        ] {
            assert!(link_refused(&refused), "{refused:?}");
            assert!(!says_nothing_of_the_link(&refused), "{refused:?}");
        }
        assert!(!link_refused(&ApiError::Validation("Too short".into())), "a refused password is shown as said");
        for unknown in [
            ApiError::Network("Failed to fetch".into()),
            ApiError::Server(503),
            ApiError::TooManyRequests { message: "Slow down".into(), retry_after_secs: None },
        ] {
            assert!(says_nothing_of_the_link(&unknown), "{unknown:?}");
        }
    }

    #[test]
    fn the_invalid_pages_say_what_to_do() {
        assert_eq!(
            Purpose::Invitation.invalid(),
            "This invitation link is no longer valid. Ask your coach for a new invitation."
        );
        assert_eq!(Purpose::Reset.invalid(), "This link is no longer valid. Ask for a new one.");
    }
}

//! A new password typed twice, checked against the server's rule (shown beside it) before
//! it is sent; with the current password first when a signed-in person changes theirs.

use yew::prelude::*;

use super::form::input;
use crate::domain::accounts::{password_hint, NewPasswordProblems};

/// What the person typed.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedPassword {
    /// Empty unless the form asks for it.
    pub current: String,
    pub password: String,
    pub confirm: String,
}

/// Props of [`PasswordForm`].
#[derive(Properties, PartialEq)]
pub struct PasswordFormProps {
    /// Prefix of its fields' ids.
    pub id: AttrValue,
    /// Ask for the current password first.
    #[prop_or_default]
    pub with_current: bool,
    /// The button's text, and its text while the password is on its way.
    pub submit: AttrValue,
    pub busy: AttrValue,
    pub pending: bool,
    /// The server's refusal, shown as it said it.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Called with a password that passed the checks.
    pub on_submit: Callback<TypedPassword>,
}

/// The form; see the module documentation.
#[component]
pub fn PasswordForm(props: &PasswordFormProps) -> Html {
    crate::render_count::count_render();
    let current = use_state(String::new);
    let password = use_state(String::new);
    let confirm = use_state(String::new);
    let problems = use_state(|| (None::<&'static str>, NewPasswordProblems::default()));
    let onsubmit = {
        let (current, password, confirm, problems) =
            (current.clone(), password.clone(), confirm.clone(), problems.clone());
        let (with_current, pending, on_submit) = (props.with_current, props.pending, props.on_submit.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if pending {
                return;
            }
            let missing = (with_current && current.is_empty()).then_some("Enter your current password.");
            let checked = NewPasswordProblems::check(&password, &confirm);
            let valid = missing.is_none() && checked.is_empty();
            problems.set((missing, checked));
            if valid {
                on_submit.emit(TypedPassword {
                    current: (*current).clone(),
                    password: (*password).clone(),
                    confirm: (*confirm).clone(),
                });
            }
        })
    };
    let id = |name: &str| format!("{}-{name}", props.id);
    let (current_id, password_id, confirm_id) = (id("current"), id("password"), id("confirm"));
    let hint = password_hint();
    html! {
        <form class="password-form" {onsubmit} novalidate=true>
            if props.with_current {
                { input(&current_id, "Current password", &current).kind("password", "current-password").problem(problems.0).render() }
            }
            { input(&password_id, "New password", &password).kind("password", "new-password").hint(&hint)
                .problem(problems.1.password.as_deref()).render() }
            { input(&confirm_id, "Confirm password", &confirm).kind("password", "new-password").problem(problems.1.confirm).render() }
            if let Some(error) = &props.error {
                <p class="alert" role="alert">{ error }</p>
            }
            <button type="submit" class="button-primary button-auto" disabled={props.pending}>
                { if props.pending { &props.busy } else { &props.submit } }
            </button>
        </form>
    }
}

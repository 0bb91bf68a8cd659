//! `/settings`: the person's profile (names, email, time zone, default session length),
//! their notifications (mails, this browser's notifications, the calendar feed) and their
//! password. A saved profile is read again and goes into the auth store, so the
//! header's name and every time the app shows follow it, in every tab.

use std::rc::Rc;

use tandem_protocol::{LoginUser, PasswordChange, User, UserUpdate};
use yew::prelude::*;
use yewdux::use_selector;

use crate::api::{self, resources, ApiError};
use crate::components::form::{input, selected_value};
use crate::components::notification_settings::NotificationSections;
use crate::components::password_form::{PasswordForm, TypedPassword};
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::domain::accounts::{email_problem, required, session_minutes};
use crate::hooks::{use_mutation, use_resource_when};
use crate::session;
use crate::stores::auth::{AuthStore, SignOutReason};
use crate::time;

/// The settings page.
#[component]
pub fn SettingsPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><Settings /></Shell> }
}

#[component]
fn Settings() -> Html {
    crate::render_count::count_render();
    let me = use_selector(|auth: &AuthStore| auth.user.clone());
    let profile = use_resource_when(me.as_ref().as_ref().map(|me| resources::user(me.id)));
    let saved = use_state(|| None::<&'static str>);
    let on_saved = {
        let saved = saved.clone();
        Callback::from(move |notice: &'static str| saved.set(Some(notice)))
    };
    let Some(me) = (*me).clone() else { return Html::default() };
    let form = match (&profile.data, &profile.error) {
        // A new version (saved here or in another tab) starts the form afresh from it.
        (Some(user), _) => {
            html! { <ProfileForm key={user.updated_at.to_string()} user={(**user).clone()} {on_saved} /> }
        }
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="your profile" /> },
    };
    html! {
        <>
            <h1>{ "Settings" }</h1>
            <section class="card" aria-labelledby="profile-title">
                <h2 id="profile-title">{ "Profile" }</h2>
                if let Some(notice) = *saved {
                    <p class="notice" role="status" data-testid="profile-saved">{ notice }</p>
                }
                { form }
            </section>
            <NotificationSections person={me.id} zone={me.timezone.clone()} />
            <section class="card" aria-labelledby="password-title">
                <h2 id="password-title">{ "Change password" }</h2>
                <ChangePassword {me} />
            </section>
        </>
    }
}

/// What the profile form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileInput {
    pub first_name: String,
    pub last_name: String,
    pub display_name: String,
    pub email: String,
    pub timezone: String,
    pub minutes: String,
}

/// What is wrong with the profile form.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileProblems {
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
    pub email: Option<&'static str>,
    pub minutes: Option<&'static str>,
}

/// The fields that changed from `user`, checked; a blank display name clears it.
pub fn profile_update(user: &User, input: &ProfileInput) -> Result<UserUpdate, ProfileProblems> {
    let minutes = session_minutes(&input.minutes);
    let problems = ProfileProblems {
        first_name: required(&input.first_name, "Enter your first name."),
        last_name: required(&input.last_name, "Enter your last name."),
        email: email_problem(&input.email),
        minutes: minutes.err(),
    };
    let Ok(minutes) = minutes else { return Err(problems) };
    if problems != ProfileProblems::default() {
        return Err(problems);
    }
    let changed = |typed: &str, held: &str| (typed.trim() != held).then(|| typed.trim().to_owned());
    Ok(UserUpdate {
        first_name: changed(&input.first_name, &user.first_name),
        last_name: changed(&input.last_name, &user.last_name),
        display_name: changed(&input.display_name, user.display_name.as_deref().unwrap_or_default()),
        email: changed(&input.email, &user.email),
        timezone: changed(&input.timezone, &user.timezone),
        default_coaching_session_duration_minutes: (minutes != user.default_coaching_session_duration_minutes)
            .then_some(minutes),
        github_profile_url: None,
    })
}

#[derive(Properties, PartialEq)]
struct ProfileFormProps {
    user: User,
    on_saved: Callback<&'static str>,
}

#[component]
fn ProfileForm(props: &ProfileFormProps) -> Html {
    crate::render_count::count_render();
    let user = &props.user;
    let first = use_state(|| user.first_name.clone());
    let last = use_state(|| user.last_name.clone());
    let display = use_state(|| user.display_name.clone().unwrap_or_default());
    let email = use_state(|| user.email.clone());
    let zone = use_state(|| user.timezone.clone());
    let minutes = use_state(|| user.default_coaching_session_duration_minutes.to_string());
    let problems = use_state(ProfileProblems::default);
    let zones = use_memo((), {
        let current = user.timezone.clone();
        move |()| time::zone_choices(time::browser_zones(), &current)
    });
    let id = user.id;
    let save = {
        let on_saved = props.on_saved.clone();
        use_mutation(
            move |update: UserUpdate| async move {
                api::accounts::update_profile(id, &update).await?;
                // The answer holds no data: read the profile again, for every screen.
                session::refresh_profile(id).await;
                Ok(())
            },
            move |_: &()| on_saved.emit("Your profile is saved."),
        )
    };
    let onsubmit = {
        let fields = (first.clone(), last.clone(), display.clone(), email.clone(), zone.clone(), minutes.clone());
        let (problems, run, user, on_saved) =
            (problems.clone(), save.run.clone(), user.clone(), props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let (first, last, display, email, zone, minutes) = &fields;
            let input = ProfileInput {
                first_name: (**first).clone(),
                last_name: (**last).clone(),
                display_name: (**display).clone(),
                email: (**email).clone(),
                timezone: (**zone).clone(),
                minutes: (**minutes).clone(),
            };
            match profile_update(&user, &input) {
                Ok(update) if update == UserUpdate::default() => {
                    problems.set(ProfileProblems::default());
                    on_saved.emit("Nothing to save: no field was changed.");
                }
                Ok(update) => {
                    problems.set(ProfileProblems::default());
                    run.emit(update);
                }
                Err(found) => problems.set(found),
            }
        })
    };
    let on_zone = {
        let zone = zone.clone();
        Callback::from(move |event: Event| zone.set(selected_value(&event)))
    };
    html! {
        <form class="profile-form" {onsubmit} novalidate=true>
            <div class="field-row">
                { input("profile-first-name", "First name", &first).kind("text", "given-name").problem(problems.first_name).render() }
                { input("profile-last-name", "Last name", &last).kind("text", "family-name").problem(problems.last_name).render() }
            </div>
            { input("profile-display-name", "Display name", &display).kind("text", "nickname")
                .hint("Optional: shown instead of your first and last name.").render() }
            { input("profile-email", "Email", &email).kind("email", "email").problem(problems.email).render() }
            <div class="field-row">
                <div class="field">
                    <label for="profile-time-zone">{ "Time zone" }</label>
                    <select id="profile-time-zone" onchange={on_zone} aria-describedby="profile-time-zone-hint">
                        for name in zones.iter() {
                            <option key={name.clone()} value={name.clone()} selected={*name == *zone}>{ name }</option>
                        }
                    </select>
                    <p class="hint" id="profile-time-zone-hint">{ "Every date and time is shown in this zone." }</p>
                </div>
                { input("profile-session-length", "Default session length (minutes)", &minutes).kind("number", "off")
                    .hint("1 to 480 minutes, for new sessions.").problem(problems.minutes).render() }
            </div>
            if let Some(error) = &save.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={save.pending}>
                { if save.pending { "Saving…" } else { "Save profile" } }
            </button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ChangePasswordProps {
    me: LoginUser,
}

/// What a failed password change tells the person.
enum Outcome {
    Changed,
    Refused(String),
}

/// Changes the password; afterwards the person stays signed in on this browser (the
/// reference ends every session of a person whose password changes: sign in again).
async fn change_password(me: &LoginUser, typed: TypedPassword) -> Outcome {
    let input = PasswordChange {
        current_password: typed.current,
        new_password: typed.password.clone(),
        confirm_password: typed.confirm,
    };
    match api::accounts::change_password(me.id, &input).await {
        Ok(()) => {
            if !api::accounts::session_lives(me.id).await {
                if let Err(error) = session::sign_in(&me.email, &typed.password).await {
                    return Outcome::Refused(format!(
                        "Your password is changed, but signing in again failed: {}",
                        error.message()
                    ));
                }
            }
            Outcome::Changed
        }
        // The reference's answer to a wrong current password; also that of an ended session.
        Err(ApiError::Unauthorized) if api::accounts::session_lives(me.id).await => {
            Outcome::Refused("The current password is not correct.".into())
        }
        Err(ApiError::Unauthorized) => {
            session::end(SignOutReason::SessionExpired);
            Outcome::Refused(ApiError::Unauthorized.message())
        }
        Err(error) => Outcome::Refused(error.message()),
    }
}

#[component]
fn ChangePassword(props: &ChangePasswordProps) -> Html {
    crate::render_count::count_render();
    let pending = use_state(|| false);
    let refusal = use_state(|| None::<AttrValue>);
    let changes = use_state(|| 0u32);
    let on_submit = {
        let (pending, refusal, changes, me) =
            (pending.clone(), refusal.clone(), changes.clone(), Rc::new(props.me.clone()));
        Callback::from(move |typed: TypedPassword| {
            pending.set(true);
            refusal.set(None);
            let (pending, refusal, changes, me) = (pending.clone(), refusal.clone(), changes.clone(), me.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match change_password(&me, typed).await {
                    // A fresh form: the typed passwords are gone.
                    Outcome::Changed => changes.set(*changes + 1),
                    Outcome::Refused(message) => refusal.set(Some(message.into())),
                }
                pending.set(false);
            });
        })
    };
    html! {
        <>
            if *changes > 0 {
                <p class="notice" role="status" data-testid="password-changed">{ "Your password is changed." }</p>
            }
            <PasswordForm key={*changes} id="change-password" with_current=true submit="Change password"
                busy="Changing password…" pending={*pending} error={(*refusal).clone()} {on_submit} />
        </>
    }
}

#[cfg(test)]
mod tests {
    use tandem_protocol::UserId;
    use uuid::Uuid;

    use super::*;

    fn user() -> User {
        User {
            id: UserId(Uuid::from_u128(1)),
            email: "sam@example.com".into(),
            first_name: "Sam".into(),
            last_name: "Rivera".into(),
            display_name: None,
            github_username: None,
            github_profile_url: None,
            timezone: "UTC".into(),
            default_coaching_session_duration_minutes: 60,
            roles: vec![],
            invite_status: None,
            created_at: chrono::DateTime::default(),
            updated_at: chrono::DateTime::default(),
        }
    }

    fn typed(user: &User) -> ProfileInput {
        ProfileInput {
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            display_name: String::new(),
            email: user.email.clone(),
            timezone: user.timezone.clone(),
            minutes: "60".into(),
        }
    }

    #[test]
    fn only_the_changed_fields_are_sent() {
        let user = user();
        assert_eq!(profile_update(&user, &typed(&user)), Ok(UserUpdate::default()));
        let input = ProfileInput {
            first_name: " Samantha ".into(),
            timezone: "Europe/Berlin".into(),
            minutes: "45".into(),
            ..typed(&user)
        };
        assert_eq!(
            profile_update(&user, &input),
            Ok(UserUpdate {
                first_name: Some("Samantha".into()),
                timezone: Some("Europe/Berlin".into()),
                default_coaching_session_duration_minutes: Some(45),
                ..UserUpdate::default()
            })
        );
    }

    #[test]
    fn a_blank_display_name_clears_it() {
        let mut user = user();
        user.display_name = Some("Sammy".into());
        let cleared = profile_update(&user, &typed(&user)).unwrap();
        assert_eq!(cleared.display_name.as_deref(), Some(""));
    }

    #[test]
    fn every_problem_is_named_before_asking_the_server() {
        let user = user();
        let input = ProfileInput { first_name: " ".into(), email: "sam".into(), minutes: "500".into(), ..typed(&user) };
        assert_eq!(
            profile_update(&user, &input),
            Err(ProfileProblems {
                first_name: Some("Enter your first name."),
                last_name: None,
                email: Some("Enter an email address like name@example.com."),
                minutes: Some("The length must be between 1 and 480 minutes."),
            })
        );
    }
}

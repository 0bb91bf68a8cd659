//! The settings page's notification sections [extension]: which mails the person gets, browser
//! notifications on this browser, and their private calendar feed. A server without these
//! routes (the reference backend) answers 404, 405 or 501, and the sections are not shown.
//!
//! Each section reads its answer itself rather than through the cache: nothing else shows
//! these, and no event changes them, so they need none of its sharing or live updates.

use tandem_protocol::{CalendarFeed, NotificationSettings, NotificationSettingsUpdate, UserId};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::confirm_button::ConfirmButton;
use super::status::{ErrorMessage, Loading};
use crate::api::{self, ApiError};
use crate::browser_notifications::{self, DENIED, GRANTED};
use crate::hooks::use_mutation;
use crate::time;

/// A section's answer from the server.
#[derive(Clone, PartialEq)]
enum Answer<T> {
    Waiting,
    /// The server has no such route: the section is not shown.
    Missing,
    Failed(ApiError),
    Ready(T),
}

impl<T> From<Result<T, ApiError>> for Answer<T> {
    fn from(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => Answer::Ready(value),
            Err(error) if error.is_missing_route() => Answer::Missing,
            Err(error) => Answer::Failed(error),
        }
    }
}

/// Props of the sections.
#[derive(Properties, PartialEq)]
pub struct NotificationSectionsProps {
    pub person: UserId,
    /// Their time zone, for the feed's date.
    pub zone: AttrValue,
}

/// Mails and browser notifications (one section, shown when the server has notification
/// settings), then the calendar feed (shown when it has feeds).
#[component]
pub fn NotificationSections(props: &NotificationSectionsProps) -> Html {
    crate::render_count::count_render();
    let settings = use_state(|| Answer::<NotificationSettings>::Waiting);
    {
        let settings = settings.clone();
        use_effect_with(props.person, move |person| {
            let person = *person;
            spawn_local(async move { settings.set(api::notifications::settings(person).await.into()) });
        });
    }
    let mails = match &*settings {
        Answer::Waiting => html! { <Loading what="your notification settings" /> },
        Answer::Missing => return html! { <CalendarFeedSection person={props.person} zone={props.zone.clone()} /> },
        Answer::Failed(error) => html! { <ErrorMessage error={error.clone()} /> },
        Answer::Ready(held) => html! { <MailForm person={props.person} held={*held} /> },
    };
    html! {
        <>
            <section class="card" aria-labelledby="notifications-title" data-testid="notification-settings">
                <h2 id="notifications-title">{ "Notifications" }</h2>
                { mails }
                <h3>{ "Browser notifications" }</h3>
                <BrowserNotifications />
            </section>
            <CalendarFeedSection person={props.person} zone={props.zone.clone()} />
        </>
    }
}

/// A mail the person may turn off: its checkbox's id, its label and its setting.
type Mail = (&'static str, &'static str, fn(&mut NotificationSettings) -> &mut bool);

/// Every mail, in the order the form shows them.
const MAILS: [Mail; 5] = [
    ("mail-session-invites", "Session invitations, with a calendar file", |s| &mut s.session_invites),
    ("mail-day-before", "A reminder a day before each session", |s| &mut s.reminder_day_before),
    ("mail-hour-before", "A reminder an hour before each session", |s| &mut s.reminder_hour_before),
    ("mail-action-assigned", "When someone assigns me an action", |s| &mut s.action_assigned),
    ("mail-action-digest", "A daily digest of my actions due soon", |s| &mut s.action_digest),
];

/// What changed from `held` to `chosen`, to send.
pub fn settings_update(held: NotificationSettings, chosen: NotificationSettings) -> NotificationSettingsUpdate {
    let changed = |old: bool, new: bool| (old != new).then_some(new);
    NotificationSettingsUpdate {
        session_invites: changed(held.session_invites, chosen.session_invites),
        reminder_day_before: changed(held.reminder_day_before, chosen.reminder_day_before),
        reminder_hour_before: changed(held.reminder_hour_before, chosen.reminder_hour_before),
        action_assigned: changed(held.action_assigned, chosen.action_assigned),
        action_digest: changed(held.action_digest, chosen.action_digest),
    }
}

#[derive(Properties, PartialEq)]
struct MailFormProps {
    person: UserId,
    /// The settings as the server holds them.
    held: NotificationSettings,
}

/// A checkbox per mail, saved together.
#[component]
fn MailForm(props: &MailFormProps) -> Html {
    crate::render_count::count_render();
    let held = use_state(|| props.held);
    let chosen = use_state(|| props.held);
    let notice = use_state(|| None::<&'static str>);
    let person = props.person;
    let save = {
        let (held, chosen, notice) = (held.clone(), chosen.clone(), notice.clone());
        use_mutation(
            move |update: NotificationSettingsUpdate| async move {
                api::notifications::update_settings(person, &update).await
            },
            move |saved: &NotificationSettings| {
                held.set(*saved);
                chosen.set(*saved);
                notice.set(Some("Your notification settings are saved."));
            },
        )
    };
    let onsubmit = {
        let (held, chosen, notice, run) = (held.clone(), chosen.clone(), notice.clone(), save.run.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let update = settings_update(*held, *chosen);
            if update == NotificationSettingsUpdate::default() {
                notice.set(Some("Nothing to save: no setting was changed."));
            } else {
                notice.set(None);
                run.emit(update);
            }
        })
    };
    let boxes = MAILS.iter().map(|(id, label, setting)| {
        let mut current = *chosen;
        let checked = *setting(&mut current);
        let onchange = {
            let (chosen, notice, setting) = (chosen.clone(), notice.clone(), *setting);
            Callback::from(move |event: Event| {
                let mut next = *chosen;
                *setting(&mut next) = event.target_unchecked_into::<HtmlInputElement>().checked();
                chosen.set(next);
                notice.set(None);
            })
        };
        html! {
            <label class="check check-line" for={*id}>
                <input id={*id} type="checkbox" {checked} {onchange} />
                { *label }
            </label>
        }
    });
    html! {
        <form class="mail-form" {onsubmit} novalidate=true>
            <fieldset class="field">
                <legend>{ "Send me a mail for" }</legend>
                { for boxes }
            </fieldset>
            if let Some(notice) = *notice {
                <p class="notice" role="status" data-testid="notifications-saved">{ notice }</p>
            }
            if let Some(error) = &save.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={save.pending}>
                { if save.pending { "Saving…" } else { "Save notification settings" } }
            </button>
        </form>
    }
}

/// What the browser-notifications switch says under it when it cannot be on.
const BLOCKED: &str = "Your browser blocks notifications from Tandem. Allow them in the browser's settings for this \
                       site, then turn this on again.";

/// Browser notifications on this browser: a switch that asks the browser's permission.
#[component]
fn BrowserNotifications() -> Html {
    crate::render_count::count_render();
    let permission = browser_notifications::permission();
    let allowed = permission.as_deref();
    let on = use_state(|| browser_notifications::chosen() && allowed == Some(GRANTED));
    // Chosen here before, since blocked in the browser's settings: say so at once.
    let refusal = use_state(|| (browser_notifications::chosen() && allowed == Some(DENIED)).then_some(BLOCKED));
    if permission.is_none() {
        return html! { <p class="hint">{ "This browser cannot show notifications." }</p> };
    }
    let onchange = {
        let (on, refusal) = (on.clone(), refusal.clone());
        Callback::from(move |event: Event| {
            let wanted = event.target_unchecked_into::<HtmlInputElement>().checked();
            let (on, refusal) = (on.clone(), refusal.clone());
            spawn_local(async move {
                let allowed = match browser_notifications::permission() {
                    Some(allowed) if wanted && allowed != GRANTED && allowed != DENIED => {
                        browser_notifications::ask().await
                    }
                    allowed => allowed,
                };
                let granted = wanted && allowed.as_deref() == Some(GRANTED);
                browser_notifications::choose(granted);
                on.set(granted);
                refusal.set(match allowed.as_deref() {
                    _ if !wanted || granted => None,
                    Some(DENIED) => Some(BLOCKED),
                    _ => Some(
                        "Notifications stay off: the browser's question was dismissed. Turn this on again to be \
                         asked once more.",
                    ),
                });
            });
        })
    };
    html! {
        <>
            <label class="check check-line" for="browser-notifications">
                <input id="browser-notifications" type="checkbox" role="switch" checked={*on} {onchange}
                    aria-describedby="browser-notifications-hint" />
                { "Show a notification on this browser when something new arrives while Tandem is in the background" }
            </label>
            <p class="hint" id="browser-notifications-hint">{ "This is a choice for this browser only." }</p>
            if let Some(refusal) = *refusal {
                <p class="alert" role="alert" data-testid="browser-notifications-blocked">{ refusal }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct FeedProps {
    person: UserId,
    zone: AttrValue,
}

/// The private calendar feed: made, replaced, turned off; its address shown once.
#[component]
fn CalendarFeedSection(props: &FeedProps) -> Html {
    crate::render_count::count_render();
    let feed = use_state(|| Answer::<CalendarFeed>::Waiting);
    // The address of a feed made just now: shown this once (the server keeps only a hash).
    let address = use_state(|| None::<String>);
    let failure = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let copied = use_state(|| false);
    {
        let feed = feed.clone();
        use_effect_with(props.person, move |person| {
            let person = *person;
            spawn_local(async move { feed.set(api::notifications::calendar_feed(person).await.into()) });
        });
    }
    let person = props.person;
    let change = |create: bool| {
        let (feed, address, failure, busy, copied) =
            (feed.clone(), address.clone(), failure.clone(), busy.clone(), copied.clone());
        Callback::from(move |()| {
            let (feed, address, failure, busy, copied) =
                (feed.clone(), address.clone(), failure.clone(), busy.clone(), copied.clone());
            busy.set(true);
            spawn_local(async move {
                let answer = if create {
                    api::notifications::create_calendar_feed(person).await
                } else {
                    api::notifications::end_calendar_feed(person).await.map(|()| CalendarFeed {
                        active: false,
                        created_at: None,
                        url: None,
                    })
                };
                match answer {
                    Ok(mut now) => {
                        address.set(now.url.take());
                        copied.set(false);
                        failure.set(None);
                        feed.set(Answer::Ready(now));
                    }
                    Err(error) => failure.set(Some(error)),
                }
                busy.set(false);
            });
        })
    };
    let (create, end) = (change(true), change(false));
    let body = match &*feed {
        Answer::Waiting => html! { <Loading what="your calendar feed" /> },
        Answer::Missing => return Html::default(),
        Answer::Failed(error) => html! { <ErrorMessage error={error.clone()} /> },
        Answer::Ready(now) if now.active => {
            let since = now.created_at.map(|at| time::format_date(time::to_local(at, &props.zone).date()));
            html! {
                <>
                    <p data-testid="calendar-feed-state">
                        { "Your feed is on" }{ since.map(|since| format!(" since {since}")).unwrap_or_default() }{ "." }
                    </p>
                    <div class="row-actions">
                        <ConfirmButton label="Replace address" question="Replace the address? Calendars that use the old one stop updating."
                            confirm="Yes, replace" on_confirm={create} disabled={*busy} />
                        <ConfirmButton label="Turn off feed" question="Turn off the feed? Calendars that use it stop updating."
                            confirm="Yes, turn off" on_confirm={end} disabled={*busy} />
                    </div>
                </>
            }
        }
        Answer::Ready(_) => html! {
            <button type="button" class="button-secondary" onclick={create.reform(|_: MouseEvent| ())} disabled={*busy}>
                { "Create feed address" }
            </button>
        },
    };
    let shown = (*address).clone().map(|url| {
        let copy = {
            let (url, copied) = (url.clone(), copied.clone());
            Callback::from(move |_: MouseEvent| {
                let (url, copied) = (url.clone(), copied.clone());
                spawn_local(async move {
                    let writing = gloo::utils::window().navigator().clipboard().write_text(&url);
                    copied.set(wasm_bindgen_futures::JsFuture::from(writing).await.is_ok());
                });
            })
        };
        html! {
            <div class="field">
                <label for="calendar-feed-url">{ "Your feed's address" }</label>
                <div class="feed-copy">
                    <input id="calendar-feed-url" type="text" readonly=true value={url} data-testid="calendar-feed-url"
                        aria-describedby="calendar-feed-warning" />
                    <button type="button" class="button-quiet" onclick={copy}>{ if *copied { "Copied" } else { "Copy" } }</button>
                </div>
                <p class="alert" id="calendar-feed-warning" role="status">
                    { "Copy it now: it is shown only this once. If you lose it, replace it with a new address." }
                </p>
            </div>
        }
    });
    html! {
        <section class="card" aria-labelledby="calendar-feed-title" data-testid="calendar-feed">
            <h2 id="calendar-feed-title">{ "Calendar feed" }</h2>
            <p class="lead">
                { "Subscribe to your sessions from your calendar app (Google Calendar, Outlook, Apple Calendar) with a \
                   private address. Anyone who has it can see your sessions' times and titles, so keep it to yourself." }
            </p>
            { shown }
            { body }
            if let Some(error) = &*failure {
                <ErrorMessage error={error.clone()} />
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_changed_settings_are_sent() {
        let held = NotificationSettings::default();
        assert_eq!(settings_update(held, held), NotificationSettingsUpdate::default());
        let chosen = NotificationSettings { reminder_hour_before: true, action_digest: false, ..held };
        assert_eq!(
            settings_update(held, chosen),
            NotificationSettingsUpdate {
                reminder_hour_before: Some(true),
                action_digest: Some(false),
                ..NotificationSettingsUpdate::default()
            }
        );
    }

    #[test]
    fn every_mail_has_its_own_box_and_setting() {
        let none = NotificationSettings {
            session_invites: false,
            reminder_day_before: false,
            reminder_hour_before: false,
            action_assigned: false,
            action_digest: false,
        };
        let mut every = none;
        for (_, _, setting) in MAILS {
            *setting(&mut every) = true;
        }
        let all = NotificationSettingsUpdate {
            session_invites: Some(true),
            reminder_day_before: Some(true),
            reminder_hour_before: Some(true),
            action_assigned: Some(true),
            action_digest: Some(true),
        };
        assert_eq!(settings_update(none, every), all);
        let ids: std::collections::BTreeSet<_> = MAILS.iter().map(|(id, ..)| *id).collect();
        assert_eq!(ids.len(), MAILS.len());
    }
}

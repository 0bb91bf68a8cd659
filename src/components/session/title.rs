//! The session's title, editable in place by both people.

use chrono::{DateTime, Utc};
use tandem_protocol::{CoachingRelationship, CoachingSession, LoginUser, UserId};
use yew::prelude::*;

use crate::api;
use crate::components::form::{non_blank, set_text};
use crate::components::stale::{choice_for, is_stale_refusal, use_edit_base};
use crate::components::status::ErrorMessage;
use crate::hooks::use_mutation;
use crate::stores::written;
use crate::time;

/// Props of [`SessionTitle`].
#[derive(Properties, PartialEq)]
pub struct SessionTitleProps {
    pub session: CoachingSession,
    pub me: LoginUser,
    /// The two people of the relationship, (id, name).
    #[prop_or_default]
    pub people: Vec<(UserId, String)>,
    /// The session's relationship, when known: an untitled session is named after it.
    #[prop_or_default]
    pub relationship: Option<CoachingRelationship>,
}

/// A title in words, for the choice between mine and theirs.
fn described(session: &CoachingSession) -> String {
    session.title.clone().unwrap_or_else(|| "(no title)".into())
}

/// The heading of a session page.
#[component]
pub fn SessionTitle(props: &SessionTitleProps) -> Html {
    crate::render_count::count_render();
    let editing = use_state(|| false);
    let draft = use_state(String::new);
    let base = use_edit_base();
    let id = props.session.id;
    let save = {
        let editing = editing.clone();
        use_mutation(
            move |(title, based_on): (Option<String>, DateTime<Utc>)| async move {
                api::sessions::retitle(id, title, based_on).await
            },
            move |session: &tandem_protocol::CoachingSession| {
                written::session_retitled(session);
                editing.set(false);
            },
        )
    };
    let shown = crate::domain::sessions::session_name(&props.session, props.relationship.as_ref());
    let local = time::session_local(props.session.date, &props.me.timezone);
    let when = format!("{} · {}", time::format_date_time(local), time::format_duration(props.session.duration_minutes));
    if *editing {
        let onsubmit = {
            let (draft, run, base, current) = (draft.clone(), save.run.clone(), base.clone(), props.session.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                run.emit((non_blank(&draft), base.version(&current)));
            })
        };
        let resend = {
            let (run, draft) = (save.run.clone(), draft.clone());
            Callback::from(move |version| run.emit((non_blank(&draft), version)))
        };
        let take = {
            let editing = editing.clone();
            Callback::from(move |theirs: CoachingSession| {
                written::session_retitled(&theirs);
                editing.set(false);
            })
        };
        let choice = choice_for(&base, save.error.as_ref(), &props.session, &props.people, described, resend, take);
        let cancel = {
            let editing = editing.clone();
            Callback::from(move |_: MouseEvent| editing.set(false))
        };
        let on_key = {
            let editing = editing.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    editing.set(false);
                }
            })
        };
        html! {
            <header class="session-header">
                <form class="title-form" {onsubmit} onkeydown={on_key}>
                    <label for="session-title-input" class="visually-hidden">{ "Session title" }</label>
                    <input id="session-title-input" type="text" maxlength="255" value={(*draft).clone()} oninput={set_text(&draft)} autofocus=true />
                    <button type="submit" class="button-primary button-auto" disabled={save.pending}>{ "Save title" }</button>
                    <button type="button" class="button-quiet" onclick={cancel}>{ "Cancel" }</button>
                </form>
                { choice }
                if let Some(error) = save.error.as_ref().filter(|e| !is_stale_refusal(e)) {
                    <ErrorMessage error={error.clone()} />
                }
                <p class="muted">{ when }</p>
            </header>
        }
    } else {
        let edit = {
            let (editing, draft, current, base, session) = (
                editing.clone(),
                draft.clone(),
                props.session.title.clone().unwrap_or_default(),
                base.clone(),
                props.session.clone(),
            );
            Callback::from(move |_: MouseEvent| {
                base.start(&session);
                draft.set(current.clone());
                editing.set(true);
            })
        };
        html! {
            <header class="session-header">
                <div class="title-row">
                    <h1 data-testid="session-title">{ shown }</h1>
                    <button type="button" class="button-quiet button-small" onclick={edit}>{ "Edit title" }</button>
                </div>
                <p class="muted" data-testid="session-when">{ when }</p>
            </header>
        }
    }
}

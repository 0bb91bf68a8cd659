//! The session's title, editable in place by both people.

use tandem_protocol::{CoachingRelationship, CoachingSession, LoginUser, UserId};
use yew::prelude::*;

use crate::api;
use crate::components::form::{non_blank, set_text};
use crate::components::status::ErrorMessage;
use crate::hooks::use_versioned_edit;
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
    let draft = use_state(String::new);
    let id = props.session.id;
    let edit = use_versioned_edit(
        &props.session,
        &props.people,
        described,
        move |title: Option<String>, based_on| async move { api::sessions::retitle(id, title, based_on).await },
        written::session_retitled,
    );
    let shown = crate::domain::sessions::session_name(&props.session, props.relationship.as_ref());
    let local = time::session_local(props.session.date, &props.me.timezone);
    let when = format!("{} · {}", time::format_date_time(local), time::format_duration(props.session.duration_minutes));
    if edit.editing {
        let onsubmit = {
            let (draft, submit) = (draft.clone(), edit.submit.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                submit.emit(non_blank(&draft));
            })
        };
        let cancel = edit.cancel.reform(|_: MouseEvent| ());
        let on_key = {
            let cancel = edit.cancel.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    cancel.emit(());
                }
            })
        };
        html! {
            <header class="session-header">
                <form class="title-form" {onsubmit} onkeydown={on_key}>
                    <label for="session-title-input" class="visually-hidden">{ "Session title" }</label>
                    <input id="session-title-input" type="text" maxlength="255" value={(*draft).clone()} oninput={set_text(&draft)} autofocus=true />
                    <button type="submit" class="button-primary button-auto" disabled={edit.pending}>{ "Save title" }</button>
                    <button type="button" class="button-quiet" onclick={cancel}>{ "Cancel" }</button>
                </form>
                { edit.choice }
                if let Some(error) = edit.error {
                    <ErrorMessage {error} />
                }
                <p class="muted">{ when }</p>
            </header>
        }
    } else {
        let open = {
            let (open, draft, current) =
                (edit.open.clone(), draft.clone(), props.session.title.clone().unwrap_or_default());
            Callback::from(move |_: MouseEvent| {
                draft.set(current.clone());
                open.emit(());
            })
        };
        html! {
            <header class="session-header">
                <div class="title-row">
                    <h1 data-testid="session-title">{ shown }</h1>
                    <button type="button" class="button-quiet button-small" onclick={open}>{ "Edit title" }</button>
                </div>
                <p class="muted" data-testid="session-when">{ when }</p>
            </header>
        }
    }
}

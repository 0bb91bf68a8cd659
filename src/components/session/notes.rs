//! The session's notes: one text both people write in, saved when the field loses focus,
//! with a visible state (saved, saving, unsaved changes, not saved).

use tandem_protocol::{CoachingSessionId, Note, NoteInput};
use yew::prelude::*;

use crate::api;
use crate::api::resources;
use crate::components::form::field_text;
use crate::components::status::{ErrorMessage, Loading};
use crate::hooks::use_mutation;
use crate::hooks::use_resource;
use crate::stores::written;

/// Props of [`Notes`].
#[derive(Properties, PartialEq)]
pub struct NotesProps {
    pub session: CoachingSessionId,
}

/// The notes section.
#[component]
pub fn Notes(props: &NotesProps) -> Html {
    crate::render_count::count_render();
    let notes = use_resource(resources::notes(props.session));
    // The text being typed; None while it equals what the server has.
    let draft = use_state(|| None::<String>);
    let session = props.session;
    let note = notes.data.as_ref().and_then(|list| list.first().cloned());
    let save = {
        let draft = draft.clone();
        use_mutation(
            move |(existing, body): (Option<Note>, String)| async move {
                let input = NoteInput { coaching_session_id: session, body: Some(body) };
                match existing {
                    Some(note) => api::notes::update(note.id, &input).await,
                    None => api::notes::create(&input).await,
                }
            },
            move |saved: &Note| {
                written::note_saved(saved);
                draft.set(None);
            },
        )
    };
    let saved_text = note.as_ref().and_then(|n| n.body.clone()).unwrap_or_default();
    let shown = (*draft).clone().unwrap_or_else(|| saved_text.clone());
    let on_input = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(Some(field_text(&e))))
    };
    let on_blur = {
        let (draft, run, note, saved_text) = (draft.clone(), save.run.clone(), note.clone(), saved_text.clone());
        Callback::from(move |_: FocusEvent| {
            if let Some(text) = (*draft).clone() {
                if text != saved_text {
                    run.emit((note.clone(), text));
                }
            }
        })
    };
    let state = if save.pending {
        "Saving…"
    } else if save.error.is_some() {
        "Not saved"
    } else if draft.as_ref().is_some_and(|d| *d != saved_text) {
        "Unsaved changes"
    } else if save.last.is_some() || note.is_some() {
        "Saved"
    } else {
        ""
    };
    let body = match (&notes.data, &notes.error) {
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="notes" /> },
        _ => html! {
            <>
                <label for="session-notes" class="visually-hidden">{ "Session notes" }</label>
                <textarea id="session-notes" rows="8" value={shown} oninput={on_input} onblur={on_blur}
                    placeholder="Notes for this session. They are saved when you leave the field." />
                <p class="save-state" aria-live="polite" data-testid="notes-state">{ state }</p>
                if let Some(error) = &save.error {
                    <ErrorMessage error={error.clone()} />
                }
            </>
        },
    };
    html! {
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">{ "Notes" }</h2>
            { body }
        </section>
    }
}

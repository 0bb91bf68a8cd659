//! The session's notes: one text both people write in at once.
//!
//! On Tandem's server the notes are rich text (headings, lists, tasks, links) in an editor
//! bound to the notes' shared document ([`crate::live_notes`]): what each person types
//! appears on the other's screen as it is typed, both always end with the same notes, who is
//! typing is shown, and selected words become a new action, agreement or goal
//! ([`from_notes`]). On a server without live notes (the reference
//! backend) the text is saved shortly after typing pauses, and a save based on text that
//! someone else has changed meanwhile is held back, with the choice to keep mine or take
//! theirs ([`PlainNotes`]).

use gloo::timers::callback::Timeout;
use tandem_protocol::{CoachingSessionId, Note, NoteInput, UserId};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::api::resources;
use crate::api::ApiError;
use crate::components::form::field_text;
use crate::components::session::from_notes::{self, Target};
use crate::components::session::since::SinceVisit;
use crate::components::status::{ErrorMessage, Loading};
use crate::hooks::use_resource;
use crate::live_notes::{self, LiveNotesStore, SyncStatus, View};
use crate::stores::written;

/// Props of [`Notes`].
#[derive(Properties, PartialEq)]
pub struct NotesProps {
    pub session: CoachingSessionId,
    pub me: UserId,
    /// The two people of the relationship, (id, name).
    pub people: Vec<(UserId, String)>,
}

/// How the notes are kept, once known.
#[derive(Clone, PartialEq)]
enum Mode {
    Opening,
    Live,
    Plain,
    Failed(ApiError),
}

/// The notes section.
#[component]
pub fn Notes(props: &NotesProps) -> Html {
    crate::render_count::count_render();
    let mode = use_state(|| Mode::Opening);
    let notes_changed = use_context::<SinceVisit>().is_some_and(|since| since.notes_changed());
    {
        let mode = mode.clone();
        use_effect_with(props.session, move |session| {
            let session = *session;
            mode.set(Mode::Opening);
            spawn_local(async move {
                mode.set(match live_notes::open(session).await {
                    Ok(_) => Mode::Live,
                    Err(error) if error.is_missing_route() => Mode::Plain,
                    Err(error) => Mode::Failed(error),
                });
            });
        });
    }
    // The export is Tandem's [extension]: offered where the notes are live, so on its server.
    let export = (*mode == Mode::Live).then(|| {
        let href = crate::config::api_url(&format!("/coaching_sessions/{}/export.md", props.session));
        html! { <a class="button secondary" {href} download="" data-testid="notes-export">{ "Export as Markdown" }</a> }
    });
    let print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let body = match &*mode {
        Mode::Opening => html! { <Loading what="notes" /> },
        Mode::Live => html! { <LiveNotes session={props.session} me={props.me} people={props.people.clone()} /> },
        Mode::Plain => html! { <PlainNotes session={props.session} /> },
        Mode::Failed(error) => html! { <ErrorMessage error={error.clone()} /> },
    };
    html! {
        <section class="card" aria-labelledby="notes-title">
            <h2 id="notes-title">
                { "Notes" }
                if notes_changed {
                    <span class="badge badge-new" data-testid="new-marker">{ "New" }</span>
                }
            </h2>
            { body }
            <div class="notes-tools">
                { export }
                <button type="button" class="button secondary" onclick={print}>{ "Print" }</button>
            </div>
        </section>
    }
}

/// How long after someone's last change they still count as typing.
const TYPING_SHOWN_MS: u32 = 3_000;

#[component]
fn LiveNotes(props: &NotesProps) -> Html {
    crate::render_count::count_render();
    let host = use_node_ref();
    let status =
        yewdux::use_selector_with_deps(|notes: &LiveNotesStore, session| notes.status(*session), props.session);
    let typing = use_state(|| None::<UserId>);
    let typing_timer = use_mut_ref(|| None::<Timeout>);
    let hint = use_state(|| false);
    {
        let (host, typing, me) = (host.clone(), typing.clone(), props.me);
        use_effect_with(props.session, move |session| {
            let session = *session;
            let changed_by = Callback::from(move |by: UserId| {
                if by == me {
                    return;
                }
                typing.set(Some(by));
                let typing = typing.clone();
                *typing_timer.borrow_mut() = Some(Timeout::new(TYPING_SHOWN_MS, move || typing.set(None)));
            });
            if let Some(host) = host.cast::<web_sys::Element>() {
                live_notes::attach(session, View { host, placeholder: PLACEHOLDER, changed_by });
            }
            move || live_notes::detach(session)
        });
    }
    let session = props.session;
    let state = match &*status {
        SyncStatus::Saved => "Saved".to_owned(),
        SyncStatus::Saving => "Saving…".to_owned(),
        SyncStatus::Retrying => "Offline: your notes are kept and sent when the connection is back".to_owned(),
        SyncStatus::Refused(message) => format!("Not saved: {message}"),
    };
    let typing_name = typing.and_then(|id| props.people.iter().find(|(person, _)| *person == id)).map(|(_, n)| n);
    let add_as = |target: Target| {
        let hint = hint.clone();
        let onclick = Callback::from(move |_: MouseEvent| match live_notes::selected_text(session) {
            Some(text) => {
                hint.set(false);
                from_notes::pick(target, text);
            }
            None => hint.set(true),
        });
        html! { <button type="button" class="button secondary" {onclick}>{ target.label() }</button> }
    };
    html! {
        <>
            <div class="notes-host" ref={host} />
            <p class="save-state" data-testid="notes-state">{ state }</p>
            <p class="typing" aria-live="polite" data-testid="notes-typing">
                { typing_name.map(|name| format!("{name} is typing…")).unwrap_or_default() }
            </p>
            <div class="notes-pick" role="group" aria-label="From the notes">
                { for Target::ALL.into_iter().map(add_as) }
                <span class="muted small" aria-live="polite">{ if *hint { "Select words in the notes first." } else { "" } }</span>
            </div>
        </>
    }
}

/// Said in the empty notes.
const PLACEHOLDER: &str =
    "Notes for this session. Both of you can write here at once; everything is saved as you type.";

/// Pause in typing after which the notes are saved (on a server without live notes).
const SAVE_AFTER_MS: u32 = 800;

/// A save held back because someone else changed the notes meanwhile.
#[derive(Clone, PartialEq)]
struct StaleSave {
    mine: String,
    theirs: Note,
}

/// Notes saved whole, shortly after typing pauses, never over newer text.
#[component]
fn PlainNotes(props: &PlainNotesProps) -> Html {
    crate::render_count::count_render();
    let notes = use_resource(resources::notes(props.session));
    // The text being typed, and the note it started from; None while it equals the server's.
    let draft = use_state(|| None::<(String, Option<Note>)>);
    let saving = use_state(|| false);
    let error = use_state(|| None::<ApiError>);
    let stale = use_state(|| None::<StaleSave>);
    let timer = use_mut_ref(|| None::<Timeout>);
    let session = props.session;
    let note = notes.data.as_ref().and_then(|list| list.first().cloned());
    let saved_text = note.as_ref().and_then(|n| n.body.clone()).unwrap_or_default();
    // Saves `text` over `base` (the note it was typed on) unless the note changed since.
    let save = {
        let (draft, saving, error, stale) = (draft.clone(), saving.clone(), error.clone(), stale.clone());
        Callback::from(move |(text, base, force): (String, Option<Note>, bool)| {
            let (draft, saving, error, stale) = (draft.clone(), saving.clone(), error.clone(), stale.clone());
            saving.set(true);
            spawn_local(async move {
                let result = save_plain(session, text.clone(), base, force).await;
                saving.set(false);
                match result {
                    Ok(PlainSave::Saved(saved)) => {
                        written::note_saved(&saved);
                        error.set(None);
                        stale.set(None);
                        // Typing may have gone on meanwhile: only a draft equal to what was
                        // saved is done.
                        if draft.as_ref().is_some_and(|(typed, _)| *typed == text) {
                            draft.set(None);
                        }
                    }
                    Ok(PlainSave::Stale(theirs)) => stale.set(Some(StaleSave { mine: text, theirs })),
                    Err(failed) => error.set(Some(failed)),
                }
            });
        })
    };
    let on_input = {
        let (draft, timer, save, note) = (draft.clone(), timer.clone(), save.clone(), note.clone());
        Callback::from(move |e: InputEvent| {
            let text = field_text(&e);
            let base = draft.as_ref().map(|(_, base)| base.clone()).unwrap_or_else(|| note.clone());
            draft.set(Some((text.clone(), base.clone())));
            let save = save.clone();
            *timer.borrow_mut() = Some(Timeout::new(SAVE_AFTER_MS, move || save.emit((text, base, false))));
        })
    };
    let keep_mine = {
        let (stale, save, draft) = (stale.clone(), save.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(held) = (*stale).clone() {
                draft.set(Some((held.mine.clone(), Some(held.theirs.clone()))));
                save.emit((held.mine, Some(held.theirs), true));
            }
        })
    };
    let take_theirs = {
        let (stale, draft) = (stale.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(held) = (*stale).clone() {
                written::note_saved(&held.theirs);
                draft.set(None);
                stale.set(None);
            }
        })
    };
    let shown = draft.as_ref().map(|(text, _)| text.clone()).unwrap_or_else(|| saved_text.clone());
    let state = if *saving {
        "Saving…"
    } else if stale.is_some() {
        "Not saved: changed by someone else meanwhile"
    } else if error.is_some() {
        "Not saved"
    } else if draft.as_ref().is_some_and(|(text, _)| *text != saved_text) {
        "Unsaved changes"
    } else if note.is_some() {
        "Saved"
    } else {
        ""
    };
    match (&notes.data, &notes.error) {
        (None, Some(failed)) => html! { <ErrorMessage error={failed.clone()} /> },
        (None, None) => html! { <Loading what="notes" /> },
        _ => html! {
            <>
                <label for="session-notes" class="visually-hidden">{ "Session notes" }</label>
                <textarea id="session-notes" rows="10" value={shown} oninput={on_input}
                    placeholder="Notes for this session. They are saved as you type." />
                <p class="save-state" aria-live="polite" data-testid="notes-state">{ state }</p>
                if let Some(held) = &*stale {
                    <div class="conflict" role="alert" data-testid="notes-conflict">
                        <p>{ "The notes were changed by someone else while you typed. Their version:" }</p>
                        <blockquote>{ held.theirs.body.clone().unwrap_or_default() }</blockquote>
                        <button type="button" class="button" onclick={keep_mine}>{ "Keep mine" }</button>
                        <button type="button" class="button secondary" onclick={take_theirs}>{ "Take theirs" }</button>
                    </div>
                }
                if let Some(failed) = &*error {
                    <ErrorMessage error={failed.clone()} />
                }
            </>
        },
    }
}

/// Props of [`PlainNotes`].
#[derive(Properties, PartialEq)]
struct PlainNotesProps {
    session: CoachingSessionId,
}

enum PlainSave {
    Saved(Note),
    /// The note changed since the text was typed on it: this is it now.
    Stale(Note),
}

/// Saves the whole text, first checking that the note is still the one it was typed on (the
/// reference backend has no precondition, so the check is a read just before the write).
async fn save_plain(
    session: CoachingSessionId,
    text: String,
    base: Option<Note>,
    force: bool,
) -> Result<PlainSave, ApiError> {
    let input = NoteInput { coaching_session_id: session, body: Some(text) };
    let current: Vec<Note> = api::client::get(&resources::notes(session).key().url()).await?;
    let now = current.into_iter().next();
    if !force {
        let moved_on = match (&base, &now) {
            (Some(base), Some(now)) => now.updated_at != base.updated_at && now.body != base.body,
            (None, Some(now)) => now.body.as_deref().is_some_and(|body| !body.is_empty()),
            _ => false,
        };
        if let (true, Some(now)) = (moved_on, now.clone()) {
            return Ok(PlainSave::Stale(now));
        }
    }
    let saved = match now {
        Some(note) => api::notes::update(note.id, &input).await?,
        None => api::notes::create(&input).await?,
    };
    Ok(PlainSave::Saved(saved))
}

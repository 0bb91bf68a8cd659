//! The session's notes: one text both people write in at once.
//!
//! On Tandem's server the notes are rich text (headings, lists, tasks, links) in an editor
//! bound to the notes' shared document ([`crate::live_notes`]): what each person types
//! appears on the other's screen as it is typed, both always end with the same notes, who is
//! typing is shown, and selected words become a new action, agreement or goal
//! ([`from_notes`]). On a server without live notes (the reference backend) the text is
//! saved as typing pauses, read back, and merged with what someone else saved meanwhile
//! ([`PlainNotes`]).

use gloo::timers::callback::Timeout;
use tandem_protocol::{CoachingSessionId, UserId};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::ApiError;
use crate::components::session::from_notes::{self, Target};
use crate::components::session::plain_notes::PlainNotes;
use crate::components::session::since::SinceVisit;
use crate::components::status::{ErrorMessage, Loading};
use crate::live_notes::{self, LiveNotesStore, SyncStatus, View};

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

//! Notes on a server without live notes (the reference backend): one text, overwritten whole
//! by each save, with no event when the other person saves.
//!
//! So nothing here trusts a save: the text is saved as typing pauses, then read back. When
//! what is stored is not what this screen shows, someone else saved meanwhile (before this
//! save, or over it): their text and this screen's are merged three ways from the last
//! stored text this screen took in ([`notes_engine::merge`], node-diff3), the screen shows
//! the merge, and the merge is saved and read back in turn. "Saved" is said only when the
//! stored text is the one on screen. The notes are read again on focus and every few
//! seconds while open, since nothing else would tell.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::{Interval, Timeout};
use tandem_protocol::{CoachingSessionId, Note, NoteInput};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{self, resources, ApiError};
use crate::components::form::field_text;
use crate::components::status::ErrorMessage;
use crate::notes_engine::{self, Script};
use crate::stores::written;

/// Pause in typing after which the notes are saved.
const SAVE_AFTER_MS: u32 = 800;

/// How often open notes are read again.
const READ_EVERY_MS: u32 = 5_000;

/// Rounds of save and read-back before waiting for the next reason to try (two people
/// saving in lockstep settle in two or three).
const MAX_ROUNDS: u32 = 8;

/// Where the notes stand with the server.
#[derive(Clone, PartialEq)]
enum State {
    Loading,
    /// The stored text is the one on screen; `merged` when others' words were merged in.
    Saved {
        merged: bool,
    },
    Unsaved,
    Saving,
    Failed(ApiError),
}

/// What the save loop shares with the page.
struct Sync {
    session: CoachingSessionId,
    /// The text on screen (kept here as typed, so the loop reads it without a render).
    screen: RefCell<String>,
    /// The last stored text the screen took in; `None` before the first read.
    base: RefCell<Option<String>>,
    running: Cell<bool>,
    again: Cell<bool>,
    show: Callback<String>,
    state: Callback<State>,
}

impl Sync {
    fn show(&self, text: String) {
        *self.screen.borrow_mut() = text.clone();
        self.show.emit(text);
    }
}

/// Reads the notes, merges what someone else saved, saves what the server lacks and reads
/// it back, until the stored text is the one on screen. One loop at a time: a reason to run
/// while one runs makes it run once more.
fn run(sync: Rc<Sync>) {
    if sync.running.replace(true) {
        sync.again.set(true);
        return;
    }
    spawn_local(async move {
        loop {
            sync.again.set(false);
            let outcome = settle(&sync).await;
            match outcome {
                Ok(Some(merged)) => sync.state.emit(State::Saved { merged }),
                Ok(None) => sync.state.emit(State::Unsaved),
                Err(error) => sync.state.emit(State::Failed(error)),
            }
            if !sync.again.get() {
                break;
            }
        }
        sync.running.set(false);
    });
}

/// One run: `Some(merged)` once the stored text is the one on screen, `None` when others
/// kept saving over it for [`MAX_ROUNDS`].
async fn settle(sync: &Sync) -> Result<Option<bool>, ApiError> {
    let mut merged = false;
    for _ in 0..MAX_ROUNDS {
        let note = stored(sync.session).await?;
        let theirs = note.as_ref().and_then(|n| n.body.clone()).unwrap_or_default();
        let base = sync.base.borrow().clone();
        let mine = sync.screen.borrow().clone();
        let Some(base) = base else {
            // The first read: the screen shows what is stored.
            *sync.base.borrow_mut() = Some(theirs.clone());
            sync.show(theirs);
            return Ok(Some(false));
        };
        if theirs == mine {
            *sync.base.borrow_mut() = Some(theirs);
            return Ok(Some(merged));
        }
        let next = if theirs == base {
            mine
        } else {
            // Someone else saved since the screen took the stored text in.
            merged |= mine != base;
            let next = if mine == base { theirs.clone() } else { merge(&base, &mine, &theirs).await? };
            *sync.base.borrow_mut() = Some(theirs);
            // Typing may have gone on meanwhile.
            let now = sync.screen.borrow().clone();
            let shown = if now == mine { next } else { merge(&mine, &now, &next).await? };
            sync.show(shown.clone());
            shown
        };
        if sync.base.borrow().as_deref() == Some(next.as_str()) {
            continue;
        }
        sync.state.emit(State::Saving);
        let input = NoteInput { coaching_session_id: sync.session, body: Some(next) };
        let saved = match note {
            Some(note) => api::notes::update(note.id, &input).await?,
            None => api::notes::create(&input).await?,
        };
        written::note_saved(&saved);
        // Read back on the next round: another save may have landed over this one.
    }
    Ok(None)
}

/// The three-way merge, its script loaded the first time.
async fn merge(base: &str, mine: &str, theirs: &str) -> Result<String, ApiError> {
    notes_engine::load(Script::Merge).await.map_err(|e| ApiError::Network(e.to_string()))?;
    notes_engine::merge(base, mine, theirs).map_err(|e| ApiError::Decode(e.to_string()))
}

/// The session's first note as stored now (read past the cache).
async fn stored(session: CoachingSessionId) -> Result<Option<Note>, ApiError> {
    let notes: Vec<Note> = api::client::get(&resources::notes(session).key().url()).await?;
    Ok(notes.into_iter().next())
}

/// Props of [`PlainNotes`].
#[derive(Properties, PartialEq)]
pub struct PlainNotesProps {
    pub session: CoachingSessionId,
}

/// Notes saved whole as typing pauses, read back, and merged with whatever someone else
/// saved meanwhile.
#[component]
pub fn PlainNotes(props: &PlainNotesProps) -> Html {
    crate::render_count::count_render();
    let shown = use_state(String::new);
    let state = use_state(|| State::Loading);
    let timer = use_mut_ref(|| None::<Timeout>);
    let sync = {
        let (shown, state) = (shown.setter(), state.setter());
        use_memo(props.session, move |session| {
            Rc::new(Sync {
                session: *session,
                screen: RefCell::default(),
                base: RefCell::default(),
                running: Cell::new(false),
                again: Cell::new(false),
                show: Callback::from(move |text| shown.set(text)),
                state: Callback::from(move |now| state.set(now)),
            })
        })
    };
    {
        let sync = (*sync).clone();
        use_effect_with(sync.session, move |_| {
            run(sync.clone());
            let reading = Interval::new(READ_EVERY_MS, move || run(sync.clone()));
            move || drop(reading)
        });
    }
    let on_input = {
        let (sync, shown, state) = ((*sync).clone(), shown.clone(), state.clone());
        Callback::from(move |e: InputEvent| {
            let text = field_text(&e);
            *sync.screen.borrow_mut() = text.clone();
            shown.set(text);
            state.set(State::Unsaved);
            let sync = sync.clone();
            *timer.borrow_mut() = Some(Timeout::new(SAVE_AFTER_MS, move || run(sync)));
        })
    };
    let on_focus = {
        let sync = (*sync).clone();
        Callback::from(move |_: FocusEvent| run(sync.clone()))
    };
    let said = match &*state {
        State::Loading => "Loading…",
        State::Saved { merged: false } => "Saved",
        State::Saved { merged: true } => "Saved, with changes someone else made meanwhile merged in",
        State::Unsaved => "Unsaved changes",
        State::Saving => "Saving…",
        State::Failed(_) => "Not saved",
    };
    html! {
        <>
            <label for="session-notes" class="visually-hidden">{ "Session notes" }</label>
            <textarea id="session-notes" rows="10" value={(*shown).clone()} oninput={on_input} onfocus={on_focus}
                disabled={sync.base.borrow().is_none()}
                placeholder="Notes for this session. They are saved as you type." />
            <p class="save-state" aria-live="polite" data-testid="notes-state">{ said }</p>
            if let State::Failed(error) = &*state {
                <ErrorMessage error={error.clone()} />
            }
        </>
    }
}

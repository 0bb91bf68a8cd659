//! Live notes: this tab's replica of each open session's notes document (a Yjs document,
//! [`crate::notes_engine`]), kept in step with the server [extension].
//!
//! What the person types in the editor goes into the replica at once and is sent in small
//! bursts: a send starts as soon as the previous one has answered, carrying everything typed
//! meanwhile (the updates not yet acknowledged, merged into one). Updates of others arrive as
//! `note_document_updated` events and merge into the replica, which the editor shows at once.
//! A send that fails (offline, server restarting) is retried with a growing pause, at once
//! when the browser comes back online; nothing typed is dropped: it stays in the replica
//! until the server has it. After a `resync`, or on opening a replica kept from before, the
//! replica catches up by state vector and sends what the server lacks.
//!
//! The replica is not a cache entry: two replicas that differ merge rather than replace one
//! another. The editor is bound to it directly (y-prosemirror, [`notes_engine::Editor`]),
//! so the text on screen changes in the same moment as the replica.
//!
//! The replicas live in a yewdux store ([`LiveNotesStore`]) with each session's [`SyncStatus`],
//! which the notes field reads like any store. A document being opened is one opening in the
//! store: a second view of the same session waits for that one ([`Opened`]), and updates
//! that arrive meanwhile wait beside it. Everything happens on an event (an answer, a stream event, a
//! keystroke, the browser back online); nothing polls.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo::timers::callback::Timeout;
use tandem_protocol::{CoachingSessionId, Event, NoteDocumentUpdated, UserId};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::Callback;
use yewdux::Store;

use crate::api::{note_document, ApiError};
use crate::notes_engine::{self, Editor, NotesDoc};
use crate::realtime::Follower;
use crate::stores::dispatch;

mod leaving;

/// Where the replica stands with the server.
#[derive(Clone, Debug, PartialEq)]
pub enum SyncStatus {
    /// The server has everything typed here.
    Saved,
    /// A send is on its way.
    Saving,
    /// Sending failed; what was typed is kept and sent when the server answers again.
    Retrying,
    /// The server refused a change (it says why); the text is fetched again.
    Refused(String),
}

/// Where a replica is shown: the element its editor goes in.
#[derive(Clone)]
pub struct View {
    /// An element the page leaves empty for the editor.
    pub host: web_sys::Element,
    /// Said while the notes are empty.
    pub placeholder: &'static str,
    /// Someone's change arrived (who).
    pub changed_by: Callback<UserId>,
}

/// Pause before retrying the `n`th failed send: 1 s, 2 s, 4 s, at most 5 s.
fn retry_ms(failures: u32) -> u32 {
    (1_000u32 << failures.saturating_sub(1).min(3)).min(5_000)
}

struct Replica {
    session: CoachingSessionId,
    doc: NotesDoc,
    /// Updates typed here (base64) that the server has not acknowledged, oldest first.
    unsent: Vec<String>,
    /// The updates of the send on its way, kept until it answers.
    in_flight: Vec<String>,
    sending: bool,
    /// A catch-up by state vector is on its way (a replay of many compacted updates asks
    /// for one, not one each).
    catching_up: bool,
    failures: u32,
    retry: Option<Timeout>,
    view: Option<(View, Editor)>,
}

/// A document being opened (fetched, with the engine's script the first time): the updates
/// that arrive meanwhile, the views waiting for it, and, once known, how it went.
#[derive(Default)]
struct Opening {
    waiting: Vec<String>,
    views: Vec<Waker>,
    outcome: Option<Result<(), ApiError>>,
}

/// Resolves when the opening it shares has ended: one fetch for every view of a session.
struct Opened(Rc<RefCell<Opening>>);

impl Future for Opened {
    type Output = Result<(), ApiError>;

    fn poll(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let mut opening = self.0.borrow_mut();
        match &opening.outcome {
            Some(outcome) => Poll::Ready(outcome.clone()),
            None => {
                opening.views.push(context.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// A replica, or the one future that opens it (with the updates that arrive meanwhile).
#[derive(Clone)]
enum Slot {
    Opening(Rc<RefCell<Opening>>),
    Open(Rc<RefCell<Replica>>),
}

/// The live notes of this tab: a replica (or its opening) per session, and where each
/// stands with the server.
#[derive(Clone, Default, Store)]
pub struct LiveNotesStore {
    replicas: HashMap<CoachingSessionId, Slot>,
    status: HashMap<CoachingSessionId, SyncStatus>,
    /// Sends what waits for a retry once the browser is back online (added once).
    online: Option<Rc<Closure<dyn FnMut()>>>,
    /// Sends what the server has not acknowledged as the page goes (added once).
    leaving: Option<Rc<Closure<dyn FnMut()>>>,
}

/// Subscribers watch the statuses; the replicas change inside themselves.
impl PartialEq for LiveNotesStore {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
    }
}

impl LiveNotesStore {
    /// Where the replica of `session` stands (saved when there is none yet).
    pub fn status(&self, session: CoachingSessionId) -> SyncStatus {
        self.status.get(&session).cloned().unwrap_or(SyncStatus::Saved)
    }
}

fn slot(session: CoachingSessionId) -> Option<Slot> {
    dispatch::<LiveNotesStore>().get().replicas.get(&session).cloned()
}

fn replica(session: CoachingSessionId) -> Option<Rc<RefCell<Replica>>> {
    match slot(session) {
        Some(Slot::Open(replica)) => Some(replica),
        _ => None,
    }
}

fn set_slot(session: CoachingSessionId, slot: Option<Slot>) {
    dispatch::<LiveNotesStore>().reduce_mut(move |notes| match slot {
        Some(slot) => notes.replicas.insert(session, slot),
        None => notes.replicas.remove(&session),
    });
}

fn set_status(session: CoachingSessionId, status: SyncStatus) {
    let unchanged = dispatch::<LiveNotesStore>().get().status.get(&session) == Some(&status);
    if !unchanged {
        dispatch::<LiveNotesStore>().reduce_mut(move |notes| notes.status.insert(session, status));
    }
}

fn status_of(replica: &Replica) -> SyncStatus {
    if replica.failures > 0 {
        SyncStatus::Retrying
    } else if replica.sending || !replica.unsent.is_empty() {
        SyncStatus::Saving
    } else {
        SyncStatus::Saved
    }
}

fn report(replica: &Rc<RefCell<Replica>>) {
    let (session, status) = {
        let held = replica.borrow();
        (held.session, status_of(&held))
    };
    set_status(session, status);
}

/// Opens the replica of `session`'s notes: the one kept from before (caught up with the
/// server), or the document fetched whole. `Err(ApiError::NotFound)` from a server without
/// live notes (the reference backend).
pub async fn open(session: CoachingSessionId) -> Result<(), ApiError> {
    listen_for_online();
    leaving::listen();
    let opened = match slot(session) {
        Some(Slot::Open(kept)) => {
            catch_up(kept);
            return Ok(());
        }
        // Another view of this tab is opening it: it waits for the same opening.
        Some(Slot::Opening(opening)) => opening,
        None => {
            let opening = Rc::new(RefCell::new(Opening::default()));
            set_slot(session, Some(Slot::Opening(opening.clone())));
            spawn_local(fetch_replica(session, opening.clone()));
            opening
        }
    };
    Opened(opened).await?;
    // Forgotten at once (a refusal): fetched again by the next open.
    replica(session).map(|_| ()).ok_or(ApiError::NotFound)
}

/// Fetches the document (and loads the engine, the first time), then puts the replica in
/// its slot with the updates that arrived meanwhile; on failure the slot is emptied, so the
/// next open tries again. Either way the waiting views learn how it went.
async fn fetch_replica(session: CoachingSessionId, opening: Rc<RefCell<Opening>>) {
    // The engine's script loads (the first time) while the document is fetched.
    let engine = notes_engine::load(notes_engine::Script::Engine);
    let fetched = note_document::fetch(session, None).await;
    let engine = match fetched {
        Ok(_) => engine.await.map_err(|e| ApiError::Network(e.to_string())),
        Err(_) => Ok(()),
    };
    let opened = engine.and(fetched).and_then(|state| {
        let unusable = |e: notes_engine::EngineError| ApiError::Decode(e.to_string());
        let doc = NotesDoc::new().map_err(unusable)?;
        doc.apply(&state.update).map_err(unusable)?;
        for update in std::mem::take(&mut opening.borrow_mut().waiting) {
            // Updates the fetched document already holds merge to nothing.
            let _ = doc.apply(&update);
        }
        Ok(Replica {
            session,
            doc,
            unsent: Vec::new(),
            in_flight: Vec::new(),
            sending: false,
            catching_up: false,
            failures: 0,
            retry: None,
            view: None,
        })
    });
    let outcome = match opened {
        Ok(replica) => {
            let replica = Rc::new(RefCell::new(replica));
            let typed = Rc::downgrade(&replica);
            // Deferred: the editor reports a change while it runs, and the replica may be
            // in use then.
            let listening = replica.borrow().doc.on_local_update(move |update| {
                let typed = typed.clone();
                spawn_local(async move {
                    if let Some(replica) = typed.upgrade() {
                        replica.borrow_mut().unsent.push(update);
                        send(replica);
                    }
                });
            });
            if let Err(error) = listening {
                gloo::console::warn!(format!("typing would not reach the notes: {error}"));
            }
            set_slot(session, Some(Slot::Open(replica)));
            Ok(())
        }
        Err(error) => {
            set_slot(session, None);
            Err(error)
        }
    };
    let views = {
        let mut opening = opening.borrow_mut();
        opening.outcome = Some(outcome);
        std::mem::take(&mut opening.views)
    };
    views.into_iter().for_each(Waker::wake);
}

/// Shows the replica of `session` in `view` (the notes are on screen).
pub fn attach(session: CoachingSessionId, view: View) {
    let Some(replica) = replica(session) else { return };
    let doc = replica.borrow().doc.clone();
    let carets = crate::config::api_url(&format!("/coaching_sessions/{session}/notes/awareness"));
    match doc.mount(&view.host, view.placeholder, &carets) {
        Ok(editor) => {
            replica.borrow_mut().view = Some((view, editor));
            report(&replica);
        }
        Err(error) => set_status(session, SyncStatus::Refused(error.to_string())),
    }
}

/// Takes the editor off the page (the notes left the screen). The replica stays, with
/// anything unsent.
pub fn detach(session: CoachingSessionId) {
    if let Some(replica) = replica(session) {
        if let Some((_, editor)) = replica.borrow_mut().view.take() {
            editor.destroy();
        }
    }
}

/// The text selected in the notes of `session`, if they are on screen.
pub fn selected_text(session: CoachingSessionId) -> Option<String> {
    let replica = replica(session)?;
    let text = replica.borrow().view.as_ref().map(|(_, editor)| editor.selected_text())?;
    Some(text).filter(|text| !text.is_empty())
}

/// Appends `line` to the notes of `session` as a paragraph of its own ("Insert into notes"),
/// shown at once and sent like typing. Nothing happens while the notes are not open (the
/// reference backend has no live notes).
pub fn append(session: CoachingSessionId, line: &str) {
    let Some(replica) = replica(session) else { return };
    let doc = replica.borrow().doc.clone();
    if let Err(error) = doc.append_paragraph(line) {
        gloo::console::warn!(format!("the line did not reach the notes: {error}"));
    }
}

/// Sends what the server lacks, unless a send is on its way (its answer sends the rest) or
/// waits for a retry.
fn send(replica: Rc<RefCell<Replica>>) {
    let (session, update) = {
        let mut held = replica.borrow_mut();
        if held.sending || held.unsent.is_empty() || held.retry.is_some() {
            return;
        }
        let batch = std::mem::take(&mut held.unsent);
        let Ok(update) = notes_engine::merge_updates(&batch) else {
            // Our own updates always merge; should they not, they go one by one.
            held.unsent = batch;
            return;
        };
        held.sending = true;
        held.in_flight = batch;
        (held.session, update)
    };
    report(&replica);
    spawn_local(async move {
        let answer = note_document::push(session, &update).await;
        let refused = {
            let mut held = replica.borrow_mut();
            held.sending = false;
            let batch = std::mem::take(&mut held.in_flight);
            match answer {
                Ok(_) => {
                    held.failures = 0;
                    None
                }
                Err(ApiError::Validation(message)) => Some(message),
                // Signed out, or the session is gone: nothing to send it to.
                Err(ApiError::Unauthorized | ApiError::Forbidden | ApiError::NotFound) => None,
                Err(_) => {
                    // Kept, in order, before what was typed meanwhile.
                    let typed_meanwhile = std::mem::replace(&mut held.unsent, batch);
                    held.unsent.extend(typed_meanwhile);
                    held.failures += 1;
                    let again = replica.clone();
                    held.retry = Some(Timeout::new(retry_ms(held.failures), move || {
                        again.borrow_mut().retry = None;
                        send(again);
                    }));
                    None
                }
            }
        };
        if let Some(message) = refused {
            // The server keeps its document; this replica starts over from it, and a view
            // on screen shows it at once.
            let view = replica.borrow_mut().view.take().map(|(view, editor)| {
                editor.destroy();
                view
            });
            set_slot(session, None);
            set_status(session, SyncStatus::Refused(message));
            if let Some(view) = view {
                if open(session).await.is_ok() {
                    attach(session, view);
                }
            }
            return;
        }
        report(&replica);
        send(replica);
    });
}

/// Merges an update from the server into the replica (the editor shows it) and says who made it.
fn receive(session: CoachingSessionId, update: &str, by: Option<UserId>) {
    let replica = match slot(session) {
        Some(Slot::Open(replica)) => replica,
        Some(Slot::Opening(opening)) => {
            opening.borrow_mut().waiting.push(update.to_owned());
            return;
        }
        None => return,
    };
    let (doc, changed_by) = {
        let held = replica.borrow();
        (held.doc.clone(), held.view.as_ref().map(|(view, _)| view.changed_by.clone()))
    };
    match doc.apply(update) {
        Ok(true) => {
            if let (Some(changed_by), Some(by)) = (changed_by, by) {
                changed_by.emit(by);
            }
        }
        Ok(false) => {}
        // Cannot come from the server, which merged it first; the next catch-up repairs it.
        Err(error) => gloo::console::warn!(format!("a notes update did not merge: {error}")),
    }
}

/// Catches up by state vector: merges what the server has beyond this replica, then sends
/// what it typed that the server has not acknowledged (typed while away).
fn catch_up(replica: Rc<RefCell<Replica>>) {
    let (session, vector) = {
        let mut held = replica.borrow_mut();
        if held.catching_up {
            return;
        }
        held.catching_up = true;
        (held.session, held.doc.state_vector())
    };
    let Ok(vector) = vector else {
        replica.borrow_mut().catching_up = false;
        return;
    };
    spawn_local(async move {
        let fetched = note_document::fetch(session, Some(&vector)).await;
        replica.borrow_mut().catching_up = false;
        let Ok(state) = fetched else { return };
        receive(session, &state.update, None);
        send(replica);
    });
}

/// What the SSE agent of the session app tells live notes (its root hands this to the agent;
/// the other apps, which open no notes, leave it and all of this module out).
pub const FOLLOWER: Follower = Follower { on_event, catch_up: catch_up_all };

/// What the event stream says about live notes: an update to merge, a caret to show, or
/// `resync` (events were lost, so every replica catches up by state vector).
pub fn on_event(event: &Event) {
    match event {
        Event::NoteDocumentUpdated(NoteDocumentUpdated { coaching_session_id, user_id, update: Some(update) }) => {
            receive(*coaching_session_id, update, Some(*user_id));
        }
        // A replayed update the server no longer keeps: what it held comes by state vector.
        Event::NoteDocumentUpdated(NoteDocumentUpdated { coaching_session_id, update: None, .. }) => {
            if let Some(open) = replica(*coaching_session_id) {
                catch_up(open);
            }
        }
        Event::NoteAwarenessUpdated(NoteDocumentUpdated { coaching_session_id, user_id, update: Some(update) }) => {
            let editor = replica(*coaching_session_id);
            let held = editor.as_ref().map(|replica| replica.borrow());
            if let Some((_, editor)) = held.as_ref().and_then(|held| held.view.as_ref()) {
                // A caret that cannot be read is not shown; the notes go on.
                let _ = editor.receive_caret(update, &user_id.to_string());
            }
        }
        Event::Resync(_) => catch_up_all(),
        _ => {}
    }
}

/// The replicas open in this tab.
fn open_replicas() -> Vec<Rc<RefCell<Replica>>> {
    let notes = dispatch::<LiveNotesStore>().get();
    notes
        .replicas
        .values()
        .filter_map(|slot| match slot {
            Slot::Open(replica) => Some(replica.clone()),
            Slot::Opening(_) => None,
        })
        .collect()
}

/// Every replica catches up (after `resync`, or a reconnect that could not replay).
pub fn catch_up_all() {
    for replica in open_replicas() {
        catch_up(replica);
    }
}

/// Back online: what waits for a retry is sent now.
fn listen_for_online() {
    if dispatch::<LiveNotesStore>().get().online.is_some() {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let listener = Closure::<dyn FnMut()>::new(move || {
        for replica in open_replicas() {
            let had_retry = replica.borrow_mut().retry.take().is_some();
            if had_retry {
                send(replica);
            }
        }
    });
    if window.add_event_listener_with_callback("online", listener.as_ref().unchecked_ref()).is_ok() {
        let listener = Rc::new(listener);
        dispatch::<LiveNotesStore>().reduce_mut(move |notes| notes.online = Some(listener));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_five_seconds() {
        assert_eq!(retry_ms(1), 1_000);
        assert_eq!(retry_ms(2), 2_000);
        assert_eq!(retry_ms(3), 4_000);
        assert_eq!(retry_ms(4), 5_000);
        assert_eq!(retry_ms(40), 5_000);
    }
}

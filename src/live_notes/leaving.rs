//! What was typed and not yet acknowledged, sent as the page goes. Leaving the session page
//! for another app's page (the dashboard, the actions) is a full page load, which ends the
//! sends on their way and drops the replica with whatever waited behind them; so on
//! `pagehide` each replica sends everything the server has not acknowledged, merged into one
//! update, in a request that outlives the page. What the server already had merges to
//! nothing.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{open_replicas, LiveNotesStore};
use crate::api::note_document;
use crate::notes_engine;
use crate::stores::dispatch;

/// Listens for the page going, once per page.
pub(super) fn listen() {
    if dispatch::<LiveNotesStore>().get().leaving.is_some() {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let listener = Closure::<dyn FnMut()>::new(send_what_is_unacknowledged);
    if window.add_event_listener_with_callback("pagehide", listener.as_ref().unchecked_ref()).is_ok() {
        let listener = Rc::new(listener);
        dispatch::<LiveNotesStore>().reduce_mut(move |notes| notes.leaving = Some(listener));
    }
}

/// For each replica, the send on its way and what was typed since, as one update.
fn send_what_is_unacknowledged() {
    for replica in open_replicas() {
        let (session, pending) = {
            let held = replica.borrow();
            (held.session, held.in_flight.iter().chain(&held.unsent).cloned().collect::<Vec<_>>())
        };
        if pending.is_empty() {
            continue;
        }
        match notes_engine::merge_updates(&pending) {
            Ok(update) => note_document::push_on_leaving(session, &update),
            Err(_) => pending.iter().for_each(|update| note_document::push_on_leaving(session, update)),
        }
    }
}

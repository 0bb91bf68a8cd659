//! The entity cache: the answer of every GET the app makes, under its [`Key`], with SWR
//! semantics.
//!
//! Changes go through [`CacheAction`] (a yewdux reducer): a fetch starts, loads or fails;
//! effects of a change (see [`super::effects`]) write, remove or revalidate; sign-out clears
//! it all. Components that show an entry *mount* it, so a revalidation refetches only what
//! is on screen and merely marks the rest stale (it refetches on next mount). A component
//! reads its own entry through [`CacheStore::view`] and re-renders only when that changes.

use std::any::Any;
use std::collections::HashMap;
use std::rc::Rc;

use yewdux::{Reducer, Store};

use super::change::Effect;
use super::merge::{self, Outcome};
use crate::api::resources::Key;
use crate::api::ApiError;

/// What the cache holds for one key.
#[derive(Clone, Default)]
pub struct Entry {
    /// The last good answer (type-erased; the hook that reads it knows its type).
    pub data: Option<Rc<dyn Any>>,
    /// The error of the last attempt, if it failed (the last good data stays).
    pub error: Option<ApiError>,
    /// Something changed on the server since: refetch when shown.
    pub stale: bool,
    /// A request for this key is on its way (dedupes concurrent fetches).
    pub in_flight: bool,
    /// The data changed on the server while a request was on its way: that request's answer
    /// may predate the change, so fetch once more after it.
    pub changed_in_flight: bool,
    /// How many mounted components show it.
    pub mounted: usize,
}

impl Entry {
    /// The data as `T`, when there is some of that type.
    pub fn get<T: 'static>(&self) -> Option<Rc<T>> {
        self.data.clone().and_then(|data| data.downcast::<T>().ok())
    }

    /// A change reached this entry: if a request is on its way, its answer may predate the
    /// change. Returns whether that was news.
    fn note_change_in_flight(&mut self) -> bool {
        let news = self.in_flight && !self.changed_in_flight;
        self.changed_in_flight |= self.in_flight;
        news
    }

    /// The request ended: stale again only if something changed while it was on its way.
    fn finish_request(&mut self) {
        self.in_flight = false;
        self.stale = self.changed_in_flight;
        self.changed_in_flight = false;
    }

    /// Applies what a change does to this entry; returns whether the entry changed.
    fn apply(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Irrelevant => false,
            Outcome::Unchanged => self.note_change_in_flight(),
            Outcome::Replaced(data) => {
                self.note_change_in_flight();
                self.data = Some(data);
                true
            }
            Outcome::Revalidate => self.note_change_in_flight() | !std::mem::replace(&mut self.stale, true),
        }
    }

    /// Whether a component showing this entry should start a fetch now.
    pub fn needs_fetch(&self) -> bool {
        !self.in_flight && (self.data.is_none() && self.error.is_none() || self.stale)
    }
}

/// The cache. Compared by revision: every change makes a new one.
#[derive(Clone, Default)]
pub struct CacheStore {
    entries: HashMap<Key, Entry>,
    revision: u64,
}

impl PartialEq for CacheStore {
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
    }
}

impl Store for CacheStore {
    fn new(_: &yewdux::Context) -> Self {
        CacheStore::default()
    }

    fn should_notify(&self, old: &Self) -> bool {
        self != old
    }
}

impl CacheStore {
    /// The entry of a key, if any.
    pub fn entry(&self, key: &Key) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// What a component showing `key` sees of it.
    pub fn view(&self, key: &Key) -> EntryView {
        self.entries.get(key).map_or_else(EntryView::default, |entry| EntryView {
            data: entry.data.clone(),
            error: entry.error.clone(),
            in_flight: entry.in_flight,
            needs_fetch: entry.needs_fetch(),
        })
    }

    /// Every key, for debugging and tests.
    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.entries.keys()
    }
}

/// What a component sees of an entry: equal when nothing it shows changed (the data compared
/// by pointer, so comparing is cheap whatever its size).
#[derive(Clone, Default)]
pub struct EntryView {
    pub data: Option<Rc<dyn Any>>,
    pub error: Option<ApiError>,
    pub in_flight: bool,
    pub needs_fetch: bool,
}

impl EntryView {
    /// The data as `T`, when there is some of that type.
    pub fn get<T: 'static>(&self) -> Option<Rc<T>> {
        self.data.clone().and_then(|data| data.downcast::<T>().ok())
    }
}

impl PartialEq for EntryView {
    fn eq(&self, other: &Self) -> bool {
        let same_data = match (&self.data, &other.data) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        same_data
            && self.error == other.error
            && self.in_flight == other.in_flight
            && self.needs_fetch == other.needs_fetch
    }
}

/// Every change to the cache.
pub enum CacheAction {
    /// A component showing `key` appeared.
    Mount(Key),
    /// A component showing `key` went away.
    Unmount(Key),
    /// A request for `key` started.
    Started(Key),
    /// The request answered.
    Loaded { key: Key, data: Rc<dyn Any> },
    /// The request failed; the last good data stays.
    Failed { key: Key, error: ApiError },
    /// Fetch this entry again (the person asked to).
    Refresh(Key),
    /// The effects of a change on the server, applied to every entry at once.
    Apply(Vec<Effect>),
    /// Sign-out: forget everything.
    Clear,
}

impl Reducer<CacheStore> for CacheAction {
    fn apply(self, state: Rc<CacheStore>) -> Rc<CacheStore> {
        let mut next = (*state).clone();
        let changed = next.apply(self);
        if changed {
            next.revision += 1;
            Rc::new(next)
        } else {
            state
        }
    }
}

impl CacheStore {
    /// Applies one action; returns whether anything changed.
    pub fn apply(&mut self, action: CacheAction) -> bool {
        match action {
            CacheAction::Mount(key) => {
                self.entries.entry(key).or_default().mounted += 1;
                true
            }
            CacheAction::Unmount(key) => match self.entries.get_mut(&key) {
                Some(entry) if entry.mounted > 0 => {
                    entry.mounted -= 1;
                    true
                }
                _ => false,
            },
            CacheAction::Started(key) => {
                self.entries.entry(key).or_default().in_flight = true;
                true
            }
            CacheAction::Loaded { key, data } => {
                let entry = self.entries.entry(key).or_default();
                entry.data = Some(data);
                entry.error = None;
                entry.finish_request();
                true
            }
            CacheAction::Failed { key, error } => {
                let entry = self.entries.entry(key).or_default();
                entry.error = Some(error);
                // A failed revalidation is not retried in a loop; the next invalidation or
                // an explicit refresh tries again (once more if a change came meanwhile).
                entry.finish_request();
                true
            }
            CacheAction::Refresh(key) => match self.entries.get_mut(&key) {
                Some(entry) => entry.apply(Outcome::Revalidate),
                None => false,
            },
            CacheAction::Apply(effects) => {
                let mut changed = false;
                for (key, entry) in self.entries.iter_mut() {
                    for effect in &effects {
                        let data = entry.data.as_ref();
                        let outcome = match effect {
                            Effect::Write(entity) => merge::write(key, data, entity),
                            Effect::Remove(removed) => merge::remove(key, data, removed),
                            Effect::Revalidate(scope) if merge::covers(*scope, key, data) => Outcome::Revalidate,
                            Effect::Revalidate(_) => Outcome::Irrelevant,
                        };
                        changed |= entry.apply(outcome);
                    }
                }
                changed
            }
            CacheAction::Clear => {
                let had_entries = !self.entries.is_empty();
                // Keep mount counts: mounted components stay mounted, their data is gone.
                self.entries.retain(|_, entry| entry.mounted > 0);
                for entry in self.entries.values_mut() {
                    *entry = Entry { mounted: entry.mounted, ..Entry::default() };
                }
                had_entries
            }
        }
    }
}

#[cfg(test)]
mod tests;

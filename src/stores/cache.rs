//! The entity cache: every GET the app makes, keyed by its URL, with SWR semantics.
//!
//! Changes go through [`CacheAction`] (a yewdux reducer): a fetch starts, loads or fails; a
//! predicate invalidates; a mutation writes its answer through; sign-out clears it all.
//! Components that show an entry *mount* it, so an invalidation refetches only what is on
//! screen and merely marks the rest stale (it refetches on next mount).

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use yewdux::{Reducer, Store};

use crate::api::ApiError;

/// A cache key: the request path plus its query, sorted by name, so the same request always
/// has the same key whatever order the parameters were written in.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CacheKey {
    path: String,
    query: Vec<(String, String)>,
}

impl CacheKey {
    /// The key of `GET path?query`.
    pub fn new<N: Into<String>, V: Into<String>>(
        path: impl Into<String>,
        query: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let mut query: Vec<(String, String)> = query.into_iter().map(|(n, v)| (n.into(), v.into())).collect();
        query.sort();
        CacheKey { path: path.into(), query }
    }

    /// The key of a request without query.
    pub fn path_only(path: impl Into<String>) -> Self {
        CacheKey { path: path.into(), query: Vec::new() }
    }

    /// The path part.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// A query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The URL to request, relative to the API base.
    pub fn url(&self) -> String {
        if self.query.is_empty() {
            return self.path.clone();
        }
        let encoded = serde_urlencoded::to_string(&self.query).unwrap_or_default();
        format!("{}?{}", self.path, encoded)
    }
}

impl fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

impl fmt::Display for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

/// What the cache holds for one key.
#[derive(Clone, Default)]
pub struct Entry {
    /// The last good answer (type-erased; the hook that reads it knows its type).
    pub data: Option<Rc<dyn Any>>,
    /// The error of the last attempt, if it failed (the last good data stays).
    pub error: Option<ApiError>,
    /// When the data was fetched, in ms since the epoch.
    pub fetched_at: Option<f64>,
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

    /// Whether a component showing this entry should start a fetch now.
    pub fn needs_fetch(&self) -> bool {
        !self.in_flight && (self.data.is_none() && self.error.is_none() || self.stale)
    }
}

/// The cache. Compared by revision: every change makes a new one.
#[derive(Clone, Default)]
pub struct CacheStore {
    entries: HashMap<CacheKey, Entry>,
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
    pub fn entry(&self, key: &CacheKey) -> Option<&Entry> {
        self.entries.get(key)
    }

    /// Every key, for debugging and tests.
    pub fn keys(&self) -> impl Iterator<Item = &CacheKey> {
        self.entries.keys()
    }
}

/// Selects cache keys (see [`crate::stores::scopes`] for the ready-made ones).
pub type Predicate = Rc<dyn Fn(&CacheKey) -> bool>;

/// Turns an entry's data into its new data after a mutation (None leaves it as it was); it
/// gets the entry's key too, to respect the entry's own filters and order.
pub type Updater = Rc<dyn Fn(&CacheKey, &Rc<dyn Any>) -> Option<Rc<dyn Any>>>;

/// Every change to the cache.
pub enum CacheAction {
    /// A component showing `key` appeared.
    Mount(CacheKey),
    /// A component showing `key` went away.
    Unmount(CacheKey),
    /// A request for `key` started.
    Started(CacheKey),
    /// The request answered.
    Loaded { key: CacheKey, data: Rc<dyn Any>, at: f64 },
    /// The request failed; the last good data stays.
    Failed { key: CacheKey, error: ApiError },
    /// The server changed what these keys hold: mark them stale.
    Invalidate(Predicate),
    /// A mutation's answer, written into every entry the predicate selects by `update`,
    /// which gets the entry's data and returns the new data (or None to leave it).
    WriteThrough { matches: Predicate, update: Updater },
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
            CacheAction::Loaded { key, data, at } => {
                let entry = self.entries.entry(key).or_default();
                entry.data = Some(data);
                entry.error = None;
                entry.fetched_at = Some(at);
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
            CacheAction::Invalidate(matches) => {
                let mut changed = false;
                for (key, entry) in self.entries.iter_mut() {
                    if !matches(key) {
                        continue;
                    }
                    changed |= entry.note_change_in_flight();
                    if !entry.stale {
                        entry.stale = true;
                        changed = true;
                    }
                }
                changed
            }
            CacheAction::WriteThrough { matches, update } => {
                let mut changed = false;
                for (key, entry) in self.entries.iter_mut() {
                    if !matches(key) {
                        continue;
                    }
                    changed |= entry.note_change_in_flight();
                    if let Some(new) = entry.data.as_ref().and_then(|data| update(key, data)) {
                        entry.data = Some(new);
                        changed = true;
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

    /// The keys that are stale, shown, and not being fetched: what must refetch now.
    pub fn due_for_refetch(&self) -> Vec<CacheKey> {
        let mut due: Vec<CacheKey> = self
            .entries
            .iter()
            .filter(|(_, e)| e.mounted > 0 && e.stale && !e.in_flight)
            .map(|(k, _)| k.clone())
            .collect();
        due.sort();
        due
    }
}

#[cfg(test)]
mod tests;

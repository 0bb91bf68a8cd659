//! `use_query`: data from the cache, fetched when missing or stale, shared by every
//! component that asks for the same key.
//!
//! ```ignore
//! let goals = use_api::<Vec<Goal>>(CacheKey::new("/goals", [("coaching_relationship_id", id.to_string())]));
//! match (&goals.data, &goals.error) { … }
//! ```
//!
//! - fetches on mount when the entry is missing or stale, never twice at once for one key;
//! - keeps the last good data on screen while revalidating and when revalidation fails;
//! - an invalidation refetches the entry only while a component shows it.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use yew::prelude::*;
use yewdux::{use_store, Dispatch};

use crate::api::{self, ApiError};
use crate::stores::cache::{CacheAction, CacheKey, CacheStore, Entry};

/// What a component gets from [`use_query`].
pub struct Query<T> {
    /// The last good data.
    pub data: Option<Rc<T>>,
    /// The error of the last attempt, if it failed.
    pub error: Option<ApiError>,
    /// No data yet and a request is on its way.
    pub is_loading: bool,
    /// Data on screen and a newer version is on its way.
    pub is_revalidating: bool,
    /// Fetches again now.
    pub refresh: Callback<()>,
}

fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// A fetcher with its answer type erased, so the hook's machinery is compiled once rather
/// than once per entity type (it keeps the web app small).
type ErasedFetcher = Rc<dyn Fn(CacheKey) -> Pin<Box<dyn Future<Output = Result<Rc<dyn Any>, ApiError>>>>>;

/// Wraps a typed fetcher as an [`ErasedFetcher`].
fn erase<T, F, Fut>(fetcher: F) -> ErasedFetcher
where
    T: 'static,
    F: Fn(CacheKey) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    Rc::new(move |key| {
        let answer = fetcher(key);
        Box::pin(async move { answer.await.map(|data| Rc::new(data) as Rc<dyn Any>) })
    })
}

/// Marks `key` as on its way and returns the request that fills it, unless a request is
/// already on its way or the entry is fresh. The request must then be awaited or spawned,
/// or the entry stays "on its way".
fn start_fetch(
    dispatch: &Dispatch<CacheStore>,
    key: &CacheKey,
    fetcher: &ErasedFetcher,
) -> Option<Pin<Box<dyn Future<Output = ()>>>> {
    // Read the store as it is now: another component may have started this very request
    // since this one rendered.
    let needed = dispatch.get().entry(key).is_none_or(|entry| entry.needs_fetch());
    if !needed {
        return None;
    }
    dispatch.apply(CacheAction::Started(key.clone()));
    let (dispatch, key, fetcher) = (dispatch.clone(), key.clone(), fetcher.clone());
    Some(Box::pin(async move {
        match fetcher(key.clone()).await {
            Ok(data) => dispatch.apply(CacheAction::Loaded { key, data, at: now_ms() }),
            Err(error) => dispatch.apply(CacheAction::Failed { key, error }),
        }
    }))
}

/// Starts the request for `key` unless one is on its way or the entry is fresh.
fn fetch_if_needed(dispatch: &Dispatch<CacheStore>, key: &CacheKey, fetcher: &ErasedFetcher) {
    if let Some(request) = start_fetch(dispatch, key, fetcher) {
        wasm_bindgen_futures::spawn_local(request);
    }
}

/// The cached answer of `fetcher(key)`; see the module documentation.
#[hook]
pub fn use_query<T, F, Fut>(key: CacheKey, fetcher: F) -> Query<T>
where
    T: 'static,
    F: Fn(CacheKey) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    use_query_when(Some(key), fetcher)
}

/// [`use_query`] for a key that may not be known yet (it depends on other data): with
/// `None` it holds no data, fetches nothing and reports loading.
#[hook]
pub fn use_query_when<T, F, Fut>(key: Option<CacheKey>, fetcher: F) -> Query<T>
where
    T: 'static,
    F: Fn(CacheKey) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let (entry, refresh) = use_cache_entry(key, erase(fetcher));
    let data = entry.get::<T>();
    Query {
        is_loading: data.is_none() && entry.error.is_none(),
        is_revalidating: data.is_some() && entry.in_flight,
        data,
        error: entry.error.clone(),
        refresh,
    }
}

/// The non-generic core: mounts the key, fetches when needed, returns the entry.
#[hook]
fn use_cache_entry(key: Option<CacheKey>, fetcher: ErasedFetcher) -> (Entry, Callback<()>) {
    let (cache, dispatch) = use_store::<CacheStore>();
    {
        let dispatch = dispatch.clone();
        use_effect_with(key.clone(), move |key| {
            let key = key.clone();
            if let Some(key) = &key {
                dispatch.apply(CacheAction::Mount(key.clone()));
            }
            move || {
                if let Some(key) = key {
                    dispatch.apply(CacheAction::Unmount(key));
                }
            }
        });
    }
    let entry = key.as_ref().and_then(|key| cache.entry(key).cloned()).unwrap_or_default();
    let needs_fetch = key.is_some() && entry.needs_fetch();
    {
        let dispatch = dispatch.clone();
        use_effect_with((key.clone(), needs_fetch), move |(key, needs_fetch)| {
            if let (Some(key), true) = (key, *needs_fetch) {
                fetch_if_needed(&dispatch, key, &fetcher);
            }
        });
    }
    let refresh = Callback::from(move |()| {
        if let Some(key) = key.clone() {
            dispatch.apply(CacheAction::Invalidate(Rc::new(move |k: &CacheKey| *k == key)));
        }
    });
    (entry, refresh)
}

/// A GET of the API for `key`, decoded from its envelope: the fetcher of [`use_api`] and
/// [`Prefetch`].
async fn get_from_api<T: DeserializeOwned>(key: CacheKey) -> Result<T, ApiError> {
    api::client::get::<T>(&key.url()).await
}

/// [`use_query`] of a GET of the API.
#[hook]
pub fn use_api<T: DeserializeOwned + 'static>(key: CacheKey) -> Query<T> {
    use_query(key, get_from_api::<T>)
}

/// [`use_api`] for a key that may not be known yet.
#[hook]
pub fn use_api_when<T: DeserializeOwned + 'static>(key: Option<CacheKey>) -> Query<T> {
    use_query_when(key, get_from_api::<T>)
}

/// A GET of the API to load into the cache before any component asks for it (see
/// [`crate::preload`]): a component that asks later finds it on its way or loaded.
pub struct Prefetch {
    key: CacheKey,
    fetcher: ErasedFetcher,
}

impl Prefetch {
    /// The GET of `key`, decoded as `T`: the type the component showing it reads it as.
    pub fn of<T: DeserializeOwned + 'static>(key: CacheKey) -> Self {
        Prefetch { key, fetcher: erase(get_from_api::<T>) }
    }

    /// The key it loads.
    pub fn key(&self) -> &CacheKey {
        &self.key
    }

    /// Starts the request; `None` when one is on its way or the entry is fresh. The request
    /// must be awaited or spawned.
    pub fn start(&self) -> Option<Pin<Box<dyn Future<Output = ()>>>> {
        start_fetch(&crate::stores::dispatch::<CacheStore>(), &self.key, &self.fetcher)
    }
}

//! Reading resources through the cache: [`use_resource`] gives a component the answer of one
//! GET, fetched when missing or stale and shared by every component that shows it.
//!
//! ```ignore
//! let goals = use_resource(resources::goals(relationship));
//! match (&goals.data, &goals.error) { … }
//! ```
//!
//! - fetches on mount when the entry is missing or stale, never twice at once for one key;
//! - keeps the last good data on screen while revalidating and when revalidation fails;
//! - a revalidation refetches the entry only while a component shows it;
//! - a component re-renders only when its own entry changes, not on every cache change.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo::net::http::Method;
use serde::de::DeserializeOwned;
use yew::prelude::*;
use yewdux::{use_dispatch, Dispatch};

use crate::api::client::{Body, Call};
use crate::api::resources::{Key, Resource};
use crate::api::{self, ApiError};
use crate::stores::cache::{CacheAction, CacheStore, EntryView};

/// What a component gets from [`use_resource`].
pub struct Query<T> {
    /// The last good data.
    pub data: Option<Rc<T>>,
    /// The error of the last attempt, if it failed.
    pub error: Option<ApiError>,
    /// No data yet and a request is on its way.
    pub is_loading: bool,
    /// Data on screen and a newer version is on its way.
    pub is_revalidating: bool,
    /// Fetches again now (the same callback on every render).
    pub refresh: Callback<()>,
}

/// A fetcher with its answer type erased, so the hook's machinery is compiled once rather
/// than once per entity type (it keeps the web app small).
type ErasedFetcher = Rc<dyn Fn(Key) -> Pin<Box<dyn Future<Output = Result<Rc<dyn Any>, ApiError>>>>>;

/// Wraps a typed fetcher as an [`ErasedFetcher`].
fn erase<T, F, Fut>(fetcher: F) -> ErasedFetcher
where
    T: 'static,
    F: Fn(Key) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    Rc::new(move |key| {
        let answer = fetcher(key);
        Box::pin(async move { answer.await.map(|data| Rc::new(data) as Rc<dyn Any>) })
    })
}

/// Reads an answer's envelope as a resource's answer type, erased.
type Decode = fn(&str) -> Result<Rc<dyn Any>, ApiError>;

fn decode<T: DeserializeOwned + 'static>(text: &str) -> Result<Rc<dyn Any>, ApiError> {
    api::client::data::<T>(text).map(|data| Rc::new(data) as Rc<dyn Any>)
}

/// A GET of the API for `key`, decoded from its envelope as the resource's answer type. Only
/// the decoding is per type: the request's machinery is compiled once for every resource.
fn from_api<T: DeserializeOwned + 'static>() -> ErasedFetcher {
    fetch_and(decode::<T>)
}

/// The GET of a key, its answer read by `decode`.
fn fetch_and(decode: Decode) -> ErasedFetcher {
    Rc::new(move |key: Key| {
        Box::pin(async move {
            let text = api::client::send(Method::GET, &key.url(), Body::None, Call::JSON).await?;
            decode(&text)
        })
    })
}

/// Marks `key` as on its way and returns the request that fills it, unless a request is
/// already on its way or the entry is fresh. The request must then be awaited or spawned,
/// or the entry stays "on its way".
fn start_fetch(
    dispatch: &Dispatch<CacheStore>,
    key: &Key,
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
            Ok(data) => dispatch.apply(CacheAction::Loaded { key, data }),
            Err(error) => dispatch.apply(CacheAction::Failed { key, error }),
        }
    }))
}

/// The cached answer of a GET of the API; see the module documentation.
#[hook]
pub fn use_resource<T: DeserializeOwned + 'static>(resource: Resource<T>) -> Query<T> {
    let (entry, refresh) = use_cache_entry(Some(resource.key().clone()), from_api::<T>());
    query(entry, refresh)
}

/// [`use_resource`] for a resource that is not known yet (it depends on other data): with
/// `None` it holds no data, fetches nothing and reports loading.
#[hook]
pub fn use_resource_when<T: DeserializeOwned + 'static>(resource: Option<Resource<T>>) -> Query<T> {
    let (entry, refresh) = use_cache_entry(resource.map(|r| r.key().clone()), from_api::<T>());
    query(entry, refresh)
}

/// [`use_resource_when`] with another fetcher than the API client (the seam the browser
/// tests use to stand in for the server).
#[hook]
pub fn use_query_when<T, F, Fut>(resource: Option<Resource<T>>, fetcher: F) -> Query<T>
where
    T: 'static,
    F: Fn(Key) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let (entry, refresh) = use_cache_entry(resource.map(|r| r.key().clone()), erase(fetcher));
    query(entry, refresh)
}

/// What a component sees of an entry, typed. (Not a hook: only the non-generic
/// [`use_cache_entry`] is, so the hook machinery is compiled once for every resource.)
fn query<T: 'static>(entry: EntryView, refresh: Callback<()>) -> Query<T> {
    let data = entry.get::<T>();
    Query {
        is_loading: data.is_none() && entry.error.is_none(),
        is_revalidating: data.is_some() && entry.in_flight,
        data,
        error: entry.error,
        refresh,
    }
}

/// The non-generic core: subscribes to its own entry, mounts it, fetches when needed.
#[hook]
fn use_cache_entry(key: Option<Key>, fetcher: ErasedFetcher) -> (EntryView, Callback<()>) {
    let dispatch = use_dispatch::<CacheStore>();
    let view_of = |cache: &CacheStore, key: &Option<Key>| key.as_ref().map(|key| cache.view(key)).unwrap_or_default();
    // Read during render, so a new key shows its own entry at once.
    let view = view_of(&dispatch.get(), &key);
    let shown = use_mut_ref(EntryView::default);
    *shown.borrow_mut() = view.clone();
    let rerender = use_force_update();
    {
        // Re-render when this entry, and nothing else, changed.
        let (dispatch, shown) = (dispatch.clone(), shown.clone());
        let _subscription = use_memo(key.clone(), move |key| {
            let key = key.clone();
            dispatch.subscribe_silent(move |cache: Rc<CacheStore>| {
                let now = view_of(&cache, &key);
                if *shown.borrow() != now {
                    *shown.borrow_mut() = now;
                    rerender.force_update();
                }
            })
        });
    }
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
    {
        let dispatch = dispatch.clone();
        use_effect_with((key.clone(), view.needs_fetch), move |(key, needs_fetch)| {
            if let (Some(key), true) = (key, *needs_fetch) {
                if let Some(request) = start_fetch(&dispatch, key, &fetcher) {
                    wasm_bindgen_futures::spawn_local(request);
                }
            }
        });
    }
    let refresh = use_callback(key, move |(), key| {
        if let Some(key) = key {
            dispatch.apply(CacheAction::Refresh(key.clone()));
        }
    });
    (view, refresh)
}

/// A GET of the API to load into the cache before any component asks for it (see
/// [`crate::preload`]): a component that asks later finds it on its way or loaded.
pub struct Prefetch {
    key: Key,
    fetcher: ErasedFetcher,
}

impl Prefetch {
    /// The GET of `resource`, decoded as its answer type.
    pub fn of<T: DeserializeOwned + 'static>(resource: Resource<T>) -> Self {
        Prefetch { key: resource.key().clone(), fetcher: from_api::<T>() }
    }

    /// The key it loads.
    pub fn key(&self) -> &Key {
        &self.key
    }

    /// Starts the request; `None` when one is on its way or the entry is fresh. The request
    /// must be awaited or spawned.
    pub fn start(&self) -> Option<Pin<Box<dyn Future<Output = ()>>>> {
        start_fetch(&crate::stores::dispatch::<CacheStore>(), &self.key, &self.fetcher)
    }
}

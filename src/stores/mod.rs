//! yewdux stores, all in one context provided at the root of the app ([`StoreRoot`]), so
//! components (through hooks) and code outside components (the SSE agent, sign-in and
//! sign-out) reach the same stores. [`effects`] is the one path from a change on the server
//! to the cache; [`merge`] says what a change does to each cached resource.

pub mod auth;
pub mod cache;
pub mod change;
pub mod connection;
pub mod effects;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod merge;
pub mod preferences;
pub mod written;

use yew::prelude::*;
use yewdux::{Context, Dispatch, Store};

/// The context every store lives in: yewdux's global one in the browser; natively (unit
/// tests) one per thread.
pub fn root_context() -> Context {
    #[cfg(target_arch = "wasm32")]
    {
        Context::global()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        thread_local! {
            static CONTEXT: Context = Context::new();
        }
        CONTEXT.with(Context::clone)
    }
}

/// A dispatch to a store, for code outside components.
pub fn dispatch<S: Store>() -> Dispatch<S> {
    Dispatch::new(&root_context())
}

/// Props of [`StoreRoot`].
#[derive(Properties, PartialEq)]
pub struct StoreRootProps {
    pub children: Html,
}

/// Provides the store context to everything below it.
#[component]
pub fn StoreRoot(props: &StoreRootProps) -> Html {
    crate::render_count::count_render();
    let context = use_memo((), |_| root_context());
    html! {
        <ContextProvider<Context> context={(*context).clone()}>
            { props.children.clone() }
        </ContextProvider<Context>>
    }
}

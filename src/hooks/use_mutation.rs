//! `use_mutation`: runs a write, tracks whether it is pending and what went wrong, and on
//! success hands the server's answer to `on_success` (which writes it through the cache, so
//! the person who acted sees the result at once). A failure leaves the cache as it was.
//!
//! ```ignore
//! let create = use_mutation(
//!     |input: ActionInput| async move { api::actions::create(&input).await },
//!     |action: &Action| writes::action_saved(action),
//! );
//! create.run.emit(input);
//! ```

use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use crate::api::ApiError;

/// What a component gets from [`use_mutation`].
pub struct Mutation<I, O> {
    /// Starts the write with this input.
    pub run: Callback<I>,
    /// A write is on its way.
    pub pending: bool,
    /// The error of the last write, until the next one starts.
    pub error: Option<ApiError>,
    /// The answer of the last successful write.
    pub last: Option<Rc<O>>,
}

#[derive(Clone)]
struct State<O> {
    pending: bool,
    error: Option<ApiError>,
    last: Option<Rc<O>>,
}

/// See the module documentation.
#[hook]
pub fn use_mutation<I, O, F, Fut, S>(mutate: F, on_success: S) -> Mutation<I, O>
where
    I: 'static,
    O: 'static,
    F: Fn(I) -> Fut + 'static,
    Fut: Future<Output = Result<O, ApiError>> + 'static,
    S: Fn(&O) + 'static,
{
    let state = use_state(|| State::<O> { pending: false, error: None, last: None });
    let (mutate, on_success) = (Rc::new(mutate), Rc::new(on_success));
    let run = {
        let state = state.clone();
        Callback::from(move |input: I| {
            state.set(State { pending: true, error: None, last: state.last.clone() });
            let (state, mutate, on_success) = (state.clone(), mutate.clone(), on_success.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match mutate(input).await {
                    Ok(answer) => {
                        on_success(&answer);
                        state.set(State { pending: false, error: None, last: Some(Rc::new(answer)) });
                    }
                    Err(error) => state.set(State { pending: false, error: Some(error), last: state.last.clone() }),
                }
            });
        })
    };
    Mutation { run, pending: state.pending, error: state.error.clone(), last: state.last.clone() }
}

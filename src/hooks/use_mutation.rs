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

use std::any::Any;
use std::future::Future;
use std::pin::Pin;
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
struct State {
    pending: bool,
    error: Option<ApiError>,
    last: Option<Rc<dyn Any>>,
}

type ErasedMutate = Rc<dyn Fn(Box<dyn Any>) -> Pin<Box<dyn Future<Output = Result<Rc<dyn Any>, ApiError>>>>>;
type ErasedSuccess = Rc<dyn Fn(&Rc<dyn Any>)>;

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
    // Types are erased before the hook's machinery, which is then compiled once for every
    // mutation in the app instead of once per call site.
    let mutate: ErasedMutate = Rc::new(move |input: Box<dyn Any>| match input.downcast::<I>() {
        Ok(input) => {
            let answer = mutate(*input);
            Box::pin(async move { answer.await.map(|o| Rc::new(o) as Rc<dyn Any>) })
        }
        Err(_) => Box::pin(async { Err(ApiError::Decode("mutation input of the wrong type".into())) }),
    });
    let on_success: ErasedSuccess = Rc::new(move |answer: &Rc<dyn Any>| {
        if let Some(answer) = answer.downcast_ref::<O>() {
            on_success(answer);
        }
    });
    let (state, run) = use_erased_mutation(mutate, on_success);
    Mutation {
        run: run.reform(|input: I| Box::new(input) as Box<dyn Any>),
        pending: state.pending,
        error: state.error.clone(),
        last: state.last.clone().and_then(|last| last.downcast::<O>().ok()),
    }
}

#[hook]
fn use_erased_mutation(mutate: ErasedMutate, on_success: ErasedSuccess) -> (State, Callback<Box<dyn Any>>) {
    let state = use_state(|| State { pending: false, error: None, last: None });
    let run = {
        let state = state.clone();
        Callback::from(move |input: Box<dyn Any>| {
            state.set(State { pending: true, error: None, last: state.last.clone() });
            let (state, mutate, on_success) = (state.clone(), mutate.clone(), on_success.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match mutate(input).await {
                    Ok(answer) => {
                        on_success(&answer);
                        state.set(State { pending: false, error: None, last: Some(answer) });
                    }
                    Err(error) => state.set(State { pending: false, error: Some(error), last: state.last.clone() }),
                }
            });
        })
    };
    ((*state).clone(), run)
}

//! `use_mutation`: runs a write, tracks whether it is pending and what went wrong, and on
//! success hands the server's answer to `on_success` (which writes it through the cache, so
//! the person who acted sees the result at once). A failure leaves the cache as it was.
//!
//! ```ignore
//! let create = use_mutation(
//!     |input: ActionInput| async move { api::actions::create(&input).await },
//!     |action: &Action| effects::apply_event(&Event::ActionCreated(…)),
//! );
//! create.run.emit(input);
//! ```

use std::any::Any;
use std::cell::RefCell;
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

#[derive(Clone, Default)]
struct State {
    pending: bool,
    error: Option<ApiError>,
    last: Option<Rc<dyn Any>>,
}

/// What happens to a mutation.
enum Step {
    Started,
    Succeeded(Rc<dyn Any>),
    Failed(ApiError),
}

impl Reducible for State {
    type Action = Step;

    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        let last = self.last.clone();
        Rc::new(match step {
            Step::Started => State { pending: true, error: None, last },
            Step::Succeeded(answer) => State { pending: false, error: None, last: Some(answer) },
            Step::Failed(error) => State { pending: false, error: Some(error), last },
        })
    }
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
    let (state, run, typed_run) = use_erased_mutation(mutate, on_success);
    // The typed `run` is made once and kept (type-erased) by the hook, so it is stable too.
    let kept = typed_run.borrow().as_ref().and_then(|kept| kept.downcast_ref::<Callback<I>>().cloned());
    let run = kept.unwrap_or_else(|| {
        let typed = run.reform(|input: I| Box::new(input) as Box<dyn Any>);
        *typed_run.borrow_mut() = Some(Box::new(typed.clone()));
        typed
    });
    Mutation {
        run,
        pending: state.pending,
        error: state.error.clone(),
        last: state.last.clone().and_then(|last| last.downcast::<O>().ok()),
    }
}

/// A slot for the typed `run` of [`use_mutation`].
type TypedRun = Rc<RefCell<Option<Box<dyn Any>>>>;

#[hook]
fn use_erased_mutation(mutate: ErasedMutate, on_success: ErasedSuccess) -> (State, Callback<Box<dyn Any>>, TypedRun) {
    let state = use_reducer(State::default);
    let typed_run = use_mut_ref(|| None::<Box<dyn Any>>);
    // The closures of the latest render, so that `run` is one callback for the component's
    // whole life (children given it do not re-render) and still runs what was rendered last.
    let latest = use_mut_ref(|| (mutate.clone(), on_success.clone()));
    *latest.borrow_mut() = (mutate, on_success);
    let run = {
        let steps = state.dispatcher();
        use_callback((), move |input: Box<dyn Any>, ()| {
            steps.dispatch(Step::Started);
            let (mutate, on_success) = latest.borrow().clone();
            let steps = steps.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match mutate(input).await {
                    Ok(answer) => {
                        on_success(&answer);
                        steps.dispatch(Step::Succeeded(answer));
                    }
                    Err(error) => steps.dispatch(Step::Failed(error)),
                }
            });
        })
    };
    ((*state).clone(), run, typed_run)
}

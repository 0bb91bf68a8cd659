//! Which tab of this browser holds the event stream: the one holding a Web Lock
//! (`navigator.locks`). Every tab asks for the lock when it starts; one gets it, the others
//! wait in the browser's queue, and when the holder closes, reloads or crashes the browser
//! hands the lock to the next one at once. A tab that stops hearing the holder can take the
//! lock away (`steal`), for a holder frozen in the background.
//!
//! Bound through `js_sys::Reflect` rather than web-sys, whose Web Locks bindings are
//! behind `web_sys_unstable_apis`.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortController;
use yew::Callback;

/// The name of the lock every tab of this origin asks for.
pub const LOCK_NAME: &str = "tandem:event-stream";

/// A request for the lock, granted or waiting. Dropping it gives the lock back (or leaves
/// the queue); the closures the browser calls live as long as it does.
pub struct Leadership {
    /// Resolves the promise that holds the lock, once granted.
    release: Rc<Cell<Option<Function>>>,
    /// Takes a waiting request out of the queue.
    abort: AbortController,
    /// Set when this side let go, so the rejection that follows is not reported as a loss.
    let_go: Rc<Cell<bool>>,
    _granted: Closure<dyn FnMut(JsValue) -> Promise>,
}

/// `navigator.locks`, where the browser has it.
fn lock_manager() -> Option<Object> {
    let window: JsValue = web_sys::window()?.into();
    let navigator = Reflect::get(&window, &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    locks.dyn_into::<Object>().ok()
}

/// Whether this browser can elect one tab (Web Locks).
pub fn supported() -> bool {
    lock_manager().is_some()
}

impl Leadership {
    /// Asks for the lock. `on_granted` runs when this tab holds it; `on_lost` when it was
    /// taken away by another tab's `steal`, or the request failed. With `steal` the lock is
    /// taken from its holder at once. None where Web Locks are missing.
    pub fn request(steal: bool, on_granted: Callback<()>, on_lost: Callback<()>) -> Option<Leadership> {
        let locks = lock_manager()?;
        let request: Function = Reflect::get(&locks, &JsValue::from_str("request")).ok()?.dyn_into().ok()?;
        let abort = AbortController::new().ok()?;
        let options = Object::new();
        if steal {
            Reflect::set(&options, &JsValue::from_str("steal"), &JsValue::TRUE).ok()?;
        } else {
            // A steal may not be combined with a signal.
            Reflect::set(&options, &JsValue::from_str("signal"), &abort.signal()).ok()?;
        }
        let release = Rc::new(Cell::new(None::<Function>));
        let let_go = Rc::new(Cell::new(false));
        let granted = {
            let release = release.clone();
            Closure::<dyn FnMut(JsValue) -> Promise>::new(move |_lock: JsValue| {
                // The lock is held until this promise settles: resolved only by `Drop`.
                let held = Promise::new(&mut |resolve, _reject| release.set(Some(resolve)));
                on_granted.emit(());
                held
            })
        };
        let done: Promise = request
            .call3(&locks, &JsValue::from_str(LOCK_NAME), &options, granted.as_ref().unchecked_ref())
            .ok()?
            .dyn_into()
            .ok()?;
        let reported = let_go.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(done).await.is_err() && !reported.get() {
                on_lost.emit(());
            }
        });
        Some(Leadership { release, abort, let_go, _granted: granted })
    }
}

impl Drop for Leadership {
    fn drop(&mut self) {
        self.let_go.set(true);
        match self.release.take() {
            Some(resolve) => {
                let _ = resolve.call0(&JsValue::NULL);
            }
            None => self.abort.abort(),
        }
    }
}

//! A count of component renders, so the benchmark can tell how many components one live
//! event re-renders (`window.tandemRenders()` in the page). One increment per render; it
//! costs nothing a person could notice, so it stays in release builds, which are measured.

use std::cell::Cell;

thread_local! {
    static RENDERS: Cell<u64> = const { Cell::new(0) };
}

/// Counts one render; every component calls it first thing in its render.
pub fn count_render() {
    RENDERS.with(|renders| renders.set(renders.get() + 1));
}

/// Renders since the app started.
pub fn total() -> u64 {
    RENDERS.with(Cell::get)
}

/// Publishes the count as `window.tandemRenders()` for the benchmark.
pub fn expose() {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsValue;
        let Some(window) = web_sys::window() else { return };
        let read = Closure::<dyn Fn() -> f64>::new(|| total() as f64);
        if js_sys::Reflect::set(&window, &JsValue::from_str("tandemRenders"), read.as_ref()).is_ok() {
            read.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_render_counts_once() {
        let before = total();
        count_render();
        count_render();
        assert_eq!(total() - before, 2);
    }
}

//! Reading form controls: the text of an input or textarea, the value of a select.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The text of the input or textarea an `input` event came from.
pub fn field_text(event: &InputEvent) -> String {
    let target = event.target_unchecked_into::<web_sys::HtmlElement>();
    match target.dyn_ref::<HtmlTextAreaElement>() {
        Some(area) => area.value(),
        None => target.unchecked_into::<HtmlInputElement>().value(),
    }
}

/// A callback that keeps `state` equal to the text typed into a field.
pub fn set_text(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| state.set(field_text(&event)))
}

/// The value chosen in the select a `change` event came from.
pub fn selected_value(event: &Event) -> String {
    event.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The text, or None when blank.
pub fn non_blank(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

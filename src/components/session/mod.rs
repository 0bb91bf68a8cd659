//! The sections of a coaching session page.

pub mod actions;
pub mod agreements;
pub mod goals;
pub mod notes;
pub mod title;

use tandem_protocol::{CoachingRelationship, UserId};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The two people of a relationship, as (id, full name), coach first.
pub fn participants(relationship: Option<&CoachingRelationship>) -> Vec<(UserId, String)> {
    relationship
        .map(|r| {
            vec![
                (r.coach_id, format!("{} {}", r.coach_first_name, r.coach_last_name)),
                (r.coachee_id, format!("{} {}", r.coachee_first_name, r.coachee_last_name)),
            ]
        })
        .unwrap_or_default()
}

/// The value of an input's `input` event.
pub fn input_text(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of a textarea's `input` event.
pub fn textarea_text(event: &InputEvent) -> String {
    event.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// A state setter for text fields.
pub fn set_text(state: &UseStateHandle<String>) -> Callback<InputEvent> {
    let state = state.clone();
    Callback::from(move |event: InputEvent| {
        let target = event.target_unchecked_into::<web_sys::HtmlElement>();
        let value = match target.dyn_ref::<HtmlTextAreaElement>() {
            Some(area) => area.value(),
            None => target.unchecked_into::<HtmlInputElement>().value(),
        };
        state.set(value);
    })
}

/// The text, or None when blank.
pub fn non_blank(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

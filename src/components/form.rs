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

/// A labelled input with an optional hint and its problem, both tied to it
/// (`aria-describedby`), the problem announced: `input("id", "Label", &state).render()`.
pub struct Input<'a> {
    id: &'a str,
    label: &'a str,
    value: &'a UseStateHandle<String>,
    kind: &'static str,
    autocomplete: &'static str,
    hint: Option<&'a str>,
    problem: Option<&'a str>,
}

/// A text input whose text is kept in `value`.
pub fn input<'a>(id: &'a str, label: &'a str, value: &'a UseStateHandle<String>) -> Input<'a> {
    Input { id, label, value, kind: "text", autocomplete: "off", hint: None, problem: None }
}

impl<'a> Input<'a> {
    /// Its `type` and `autocomplete`.
    pub fn kind(mut self, kind: &'static str, autocomplete: &'static str) -> Self {
        self.kind = kind;
        self.autocomplete = autocomplete;
        self
    }

    /// A line under it saying what it takes.
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    /// What is wrong with its text, if anything.
    pub fn problem(mut self, problem: Option<&'a str>) -> Self {
        self.problem = problem;
        self
    }

    /// The field.
    pub fn render(self) -> Html {
        let (hint_id, error_id) = (format!("{}-hint", self.id), format!("{}-error", self.id));
        let described: Vec<&str> = [self.hint.map(|_| hint_id.as_str()), self.problem.map(|_| error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
        html! {
            <div class="field">
                <label for={self.id.to_owned()}>{ self.label }</label>
                <input id={self.id.to_owned()} type={self.kind} autocomplete={self.autocomplete}
                    value={(**self.value).clone()} oninput={set_text(self.value)}
                    aria-invalid={if self.problem.is_some() { "true" } else { "false" }}
                    aria-describedby={(!described.is_empty()).then(|| described.join(" "))} />
                if let Some(hint) = self.hint {
                    <p class="hint" id={hint_id}>{ hint }</p>
                }
                if let Some(problem) = self.problem {
                    <p class="field-error" id={error_id} role="alert">{ problem }</p>
                }
            </div>
        }
    }
}

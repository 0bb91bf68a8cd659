//! From notes to the session's lists: text selected in the notes becomes the start of a new
//! action, agreement or goal. The notes card says which list and what text ([`pick`]); the
//! panel of that list fills its add form with it and puts the focus there ([`use_picked`]),
//! where the person finishes and adds it as usual.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The list a picked text is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Action,
    Agreement,
    Goal,
}

impl Target {
    /// In the order the notes card offers them.
    pub const ALL: [Target; 3] = [Target::Action, Target::Agreement, Target::Goal];

    /// Id of the add form's field the text goes in.
    fn field(self) -> &'static str {
        match self {
            Target::Action => "new-action-body",
            Target::Agreement => "new-agreement",
            Target::Goal => "new-goal-title",
        }
    }

    /// The notes card's button.
    pub fn label(self) -> &'static str {
        match self {
            Target::Action => "Add as action",
            Target::Agreement => "Add as agreement",
            Target::Goal => "Add as goal",
        }
    }
}

thread_local! {
    /// The add forms on the page, each with what fills it.
    static FORMS: RefCell<Vec<(Target, Callback<String>)>> = const { RefCell::new(Vec::new()) };
}

/// Hands `text` to the add form of `target`, if it is on the page.
pub fn pick(target: Target, text: String) {
    let form = FORMS.with(|forms| forms.borrow().iter().find(|(t, _)| *t == target).map(|(_, fill)| fill.clone()));
    if let Some(fill) = form {
        fill.emit(text);
        focus_soon(target.field());
    }
}

/// Puts the add form of `target` on the list while the panel is on the page: `fill` gives it
/// a picked text. Registered again at each render, so `fill` sees the panel's state as it is.
#[hook]
pub fn use_picked(target: Target, fill: Callback<String>) {
    use_effect(move || {
        FORMS.with(|forms| forms.borrow_mut().push((target, fill)));
        move || FORMS.with(|forms| forms.borrow_mut().retain(|(t, _)| *t != target))
    });
}

/// Focuses the element once the form has rendered the text.
fn focus_soon(id: &'static str) {
    gloo::timers::callback::Timeout::new(0, move || {
        let field = gloo::utils::document().get_element_by_id(id);
        if let Some(field) = field.and_then(|f| f.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = field.focus();
        }
    })
    .forget();
}

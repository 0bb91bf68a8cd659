//! A destructive button that asks once more before acting, in place (no browser dialog).

use yew::prelude::*;

/// Props of [`ConfirmButton`].
#[derive(Properties, PartialEq)]
pub struct ConfirmButtonProps {
    /// The first button's text, e.g. "Delete".
    pub label: AttrValue,
    /// The first button's accessible name when its text alone is ambiguous, e.g. "Delete Acme".
    #[prop_or_default]
    pub name: Option<AttrValue>,
    /// The question, e.g. "Delete this action?".
    pub question: AttrValue,
    /// The confirming button's text.
    #[prop_or(AttrValue::from("Yes, delete"))]
    pub confirm: AttrValue,
    pub on_confirm: Callback<()>,
    #[prop_or_default]
    pub disabled: bool,
}

/// "Delete" → "Delete this action? (Yes, delete) (Cancel)".
#[component]
pub fn ConfirmButton(props: &ConfirmButtonProps) -> Html {
    crate::render_count::count_render();
    let asking = use_state(|| false);
    if *asking {
        let yes = {
            let (asking, on_confirm) = (asking.clone(), props.on_confirm.clone());
            Callback::from(move |_: MouseEvent| {
                asking.set(false);
                on_confirm.emit(());
            })
        };
        let no = {
            let asking = asking.clone();
            Callback::from(move |_: MouseEvent| asking.set(false))
        };
        html! {
            <span class="confirm" role="group" aria-label={props.question.clone()}>
                <span class="confirm-question">{ &props.question }</span>
                <button type="button" class="button-danger" onclick={yes}>{ &props.confirm }</button>
                <button type="button" class="button-quiet" onclick={no}>{ "Cancel" }</button>
            </span>
        }
    } else {
        let ask = Callback::from(move |_: MouseEvent| asking.set(true));
        html! {
            <button type="button" class="button-quiet button-small" onclick={ask} disabled={props.disabled}
                aria-label={props.name.clone()}>{ &props.label }</button>
        }
    }
}

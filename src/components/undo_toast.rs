//! "… deleted. Undo": a short-lived offer to take back what was just done.
//!
//! It stays 8 seconds. It takes no focus (the person keeps their place), but it is announced
//! (`role="status"`) and its button sits in the Tab order right after the panel that made it,
//! so a keyboard reaches it in a step or two. Showing a new offer (a new `key`) restarts it.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

/// How long an offer stays.
pub const UNDO_MS: u32 = 8_000;

/// An offer on screen: what was done, and what undoes it.
#[derive(Clone, PartialEq)]
pub struct UndoOffer {
    /// Tells offers apart, so a new one restarts the clock.
    pub serial: u32,
    /// "Topic deleted.", "Topic moved to the next session."
    pub message: AttrValue,
    pub undo: Callback<()>,
}

/// Props of [`UndoToast`].
#[derive(Properties, PartialEq)]
pub struct UndoToastProps {
    pub offer: UndoOffer,
    /// The offer ended: undone, or its time ran out.
    pub on_close: Callback<()>,
}

/// The toast; render it keyed by `offer.serial`.
#[component]
pub fn UndoToast(props: &UndoToastProps) -> Html {
    crate::render_count::count_render();
    {
        let on_close = props.on_close.clone();
        use_effect_with(props.offer.serial, move |_| {
            let timeout = Timeout::new(UNDO_MS, move || on_close.emit(()));
            move || drop(timeout)
        });
    }
    let undo = {
        let (undo, on_close) = (props.offer.undo.clone(), props.on_close.clone());
        Callback::from(move |_: MouseEvent| {
            undo.emit(());
            on_close.emit(());
        })
    };
    html! {
        <div class="undo-toast" role="status" data-testid="undo-toast">
            <span>{ &props.offer.message }</span>
            <button type="button" class="button-quiet button-small" onclick={undo}>{ "Undo" }</button>
        </div>
    }
}

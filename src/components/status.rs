//! The loading, error and empty states every list shows.

use yew::prelude::*;

use crate::api::ApiError;

/// "Loading …" for a screen reader, and for the eye a skeleton of the lines to come.
#[component]
pub fn Loading(props: &LoadingProps) -> Html {
    crate::render_count::count_render();
    html! {
        <div class="loading" role="status">
            <p class="muted">{ format!("Loading {}…", props.what) }</p>
            <div class="skeleton" aria-hidden="true">
                <span class="skeleton-line"></span>
                <span class="skeleton-line"></span>
                <span class="skeleton-line skeleton-short"></span>
            </div>
        </div>
    }
}

/// Props of [`Loading`].
#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    pub what: AttrValue,
}

/// An error in words, announced.
#[component]
pub fn ErrorMessage(props: &ErrorMessageProps) -> Html {
    crate::render_count::count_render();
    html! { <p class="alert" role="alert">{ props.error.message() }</p> }
}

/// Props of [`ErrorMessage`].
#[derive(Properties, PartialEq)]
pub struct ErrorMessageProps {
    pub error: ApiError,
}

//! The loading, error and empty states every list shows.

use yew::prelude::*;

use super::app_link::AppLink;
use crate::api::ApiError;
use crate::routes::Route;

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

/// The page of someone whose roles do not reach it (the server would answer 403).
#[component]
pub fn NoAccess() -> Html {
    crate::render_count::count_render();
    html! {
        <section class="no-access" data-testid="no-access">
            <h1>{ "You don't have access to this page" }</h1>
            <p>{ "It is for the organization's administrators. Ask one of them if you need something changed here." }</p>
            <p><AppLink to={Route::Dashboard}>{ "Go to your sessions" }</AppLink></p>
        </section>
    }
}

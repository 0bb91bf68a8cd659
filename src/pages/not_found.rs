//! Any path this app does not show: one it does not know, or a page of another app (see
//! [`crate::routes::Part`]).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_link::AppLink;
use crate::navigation::{load, use_running, Load};
use crate::routes::Route;

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage() -> Html {
    crate::render_count::count_render();
    html! {
        <main class="page page-narrow" id="main">
            <h1>{ "Page not found" }</h1>
            <p>{ "There is nothing at this address. It may have moved, or the link may be mistyped." }</p>
            <p><AppLink to={Route::Home}>{ "Go to your sessions" }</AppLink></p>
        </main>
    }
}

/// A page of another app, reached through this app's router (history, a redirect): loads
/// the address in full, so the server hands out the app that shows it. Where the server
/// already sent this app for the address (it knows no such page), "Page not found", never a
/// loop of loads.
#[component]
pub fn OtherAppPage() -> Html {
    crate::render_count::count_render();
    let running = use_running();
    let path = use_location().map(|location| location.path().to_owned()).unwrap_or_default();
    let served_here = running.started_at.as_str() == path;
    use_effect_with((served_here, path), |(served_here, _)| {
        if !*served_here {
            load("", Load::Reload);
        }
    });
    if served_here {
        html! { <NotFoundPage /> }
    } else {
        Html::default()
    }
}

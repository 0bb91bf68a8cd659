//! Any path this app does not show: one it does not know, or a page of another app (see
//! [`crate::routes::Part`]).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_link::AppLink;
use crate::navigation::{is_offline, load, use_running, Load};
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
/// loop of loads. Offline (signing out with the network gone, say), a load would end on the
/// browser's error page: the page says so and loads the address once the browser is back.
#[component]
pub fn OtherAppPage() -> Html {
    crate::render_count::count_render();
    let running = use_running();
    let path = use_location().map(|location| location.path().to_owned()).unwrap_or_default();
    let served_here = running.started_at.as_str() == path;
    let offline = use_state(is_offline);
    use_effect_with((served_here, *offline, path), |(served_here, offline, _)| {
        let mut back_online = None;
        if *offline {
            back_online = web_sys::window()
                .map(|window| gloo::events::EventListener::once(&window, "online", |_| load("", Load::Reload)));
        } else if !*served_here {
            load("", Load::Reload);
        }
        move || drop(back_online)
    });
    if served_here {
        html! { <NotFoundPage /> }
    } else if *offline {
        html! {
            <main class="page page-narrow" id="main">
                <h1>{ "You are offline" }</h1>
                <p data-testid="offline-wait">{ "This page opens as soon as the connection is back." }</p>
            </main>
        }
    } else {
        Html::default()
    }
}

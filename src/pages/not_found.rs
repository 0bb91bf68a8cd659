//! Any path the app does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::routes::Route;

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage() -> Html {
    crate::render_count::count_render();
    html! {
        <main class="page page-narrow" id="main">
            <h1>{ "Page not found" }</h1>
            <p>{ "There is nothing at this address. It may have moved, or the link may be mistyped." }</p>
            <p><Link<Route> to={Route::Home}>{ "Go to your sessions" }</Link<Route>></p>
        </main>
    }
}

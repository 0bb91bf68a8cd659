//! The root component: store context, router, the SSE agent, and the page of the route.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::realtime::SseAgent;
use crate::routes::{switch, Route};
use crate::stores::StoreRoot;

/// The whole app.
#[component]
pub fn App() -> Html {
    crate::render_count::count_render();
    html! {
        <StoreRoot>
            <BrowserRouter>
                <SseAgent />
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </StoreRoot>
    }
}

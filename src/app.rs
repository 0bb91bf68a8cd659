//! The root component: store context, router, and the page of the current route.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::routes::{switch, Route};
use crate::stores::StoreRoot;

/// The whole app.
#[component]
pub fn App() -> Html {
    html! {
        <StoreRoot>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </StoreRoot>
    }
}

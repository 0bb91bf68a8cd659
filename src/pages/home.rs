//! `/`: sends the person where they belong.

use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::use_store_value;

use crate::routes::Route;
use crate::stores::auth::AuthStore;

/// Redirects to the dashboard when signed in, else to the login page.
#[component]
pub fn HomePage() -> Html {
    crate::render_count::count_render();
    let auth = use_store_value::<AuthStore>();
    let to = if auth.is_signed_in() { Route::Dashboard } else { Route::Login };
    html! { <Redirect<Route> {to} /> }
}

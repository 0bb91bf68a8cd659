//! The header of every signed-in page: brand, navigation, the person and "Sign out".

use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::use_store_value;

use crate::routes::Route;
use crate::session;
use crate::stores::auth::AuthStore;

/// The app header.
#[component]
pub fn Header() -> Html {
    let auth = use_store_value::<AuthStore>();
    let signing_out = use_state(|| false);
    let on_sign_out = {
        let signing_out = signing_out.clone();
        Callback::from(move |_: MouseEvent| {
            signing_out.set(true);
            wasm_bindgen_futures::spawn_local(session::sign_out());
        })
    };
    let name = auth.user.as_ref().map(|user| user.name()).unwrap_or_default();
    html! {
        <header class="app-header">
            <Link<Route> to={Route::Dashboard} classes="brand">{ "Tandem" }</Link<Route>>
            <nav class="app-nav" aria-label="Main">
                <Link<Route> to={Route::Dashboard}>{ "Sessions" }</Link<Route>>
            </nav>
            <div class="header-person">
                <span class="person-name" data-testid="person-name">{ name }</span>
                <button type="button" class="button-quiet" onclick={on_sign_out} disabled={*signing_out}>
                    { if *signing_out { "Signing out…" } else { "Sign out" } }
                </button>
            </div>
        </header>
    }
}

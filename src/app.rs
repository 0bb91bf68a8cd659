//! The main app: sign-in, the dashboard and the actions page: its root ([`AppRoot`]) and the
//! page of each route. The coaching session page ([`crate::session_app`]) and the account
//! pages ([`crate::accounts_app`]) are apps of their own; here their routes load that app in
//! full, so none of their code is in this one.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::require_auth::RequireAuth;
use crate::pages::{
    actions::ActionsPage,
    dashboard::DashboardPage,
    home::HomePage,
    login::LoginPage,
    not_found::{NotFoundPage, OtherAppPage},
};
use crate::root::AppRoot;
use crate::routes::{Part, Route};

/// The whole main app.
#[component]
pub fn App() -> Html {
    crate::render_count::count_render();
    html! {
        <AppRoot part={Part::Main}>
            <Switch<Route> render={switch} />
        </AppRoot>
    }
}

/// Renders the page of a route; signed-in pages sit behind [`RequireAuth`].
fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Login => html! { <LoginPage /> },
        Route::Dashboard => html! { <RequireAuth><DashboardPage /></RequireAuth> },
        Route::Actions => html! { <RequireAuth><ActionsPage /></RequireAuth> },
        Route::NotFound => html! { <NotFoundPage /> },
        Route::CoachingSession { .. }
        | Route::Setup { .. }
        | Route::ForgotPassword
        | Route::ResetPassword { .. }
        | Route::Settings
        | Route::Members { .. }
        | Route::AdminOrganizations => html! { <OtherAppPage /> },
    }
}

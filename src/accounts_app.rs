//! The account pages' app: setup and password reset, settings, an organization's members
//! and the organizations. Only some people use them, and seldom, so they are an app of their
//! own (`accounts.html`, served at their paths) rather than weight in every page's
//! (issue 23's budget). Its root ([`AppRoot`]) is the main app's: the same stores, theme and
//! SSE agent, so these pages follow live events too. Every other route loads its own app
//! (the main one, or the session page's) in full.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::require_auth::RequireAuth;
use crate::pages::{
    members::MembersPage,
    not_found::OtherAppPage,
    organizations::AdminOrganizationsPage,
    passwords::{ForgotPasswordPage, ResetPasswordPage, SetupPage},
    settings::SettingsPage,
};
use crate::root::AppRoot;
use crate::routes::{Part, Route};

/// The whole accounts app.
#[component]
pub fn AccountsApp() -> Html {
    crate::render_count::count_render();
    html! {
        <AppRoot part={Part::Accounts}>
            <Switch<Route> render={switch} />
        </AppRoot>
    }
}

/// Renders the page of an account route; the others belong to the other apps.
fn switch(route: Route) -> Html {
    match route {
        Route::Setup { token } => html! { <SetupPage {token} /> },
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword { token } => html! { <ResetPasswordPage {token} /> },
        Route::Settings => html! { <RequireAuth><SettingsPage /></RequireAuth> },
        Route::Members { id } => html! { <RequireAuth><MembersPage {id} /></RequireAuth> },
        Route::AdminOrganizations => html! { <RequireAuth><AdminOrganizationsPage /></RequireAuth> },
        Route::Home
        | Route::Login
        | Route::Dashboard
        | Route::CoachingSession { .. }
        | Route::Actions
        | Route::NotFound => html! { <OtherAppPage /> },
    }
}

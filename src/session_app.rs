//! The coaching session page's app (`session.html`, served at `/coaching-sessions/{id}`):
//! the page people spend their sessions on, with live notes (and their merge engine),
//! presence and the panels. It is the largest page, so it is an app of its own rather than
//! weight in every other page's (issue 23's budget). Its root ([`AppRoot`]) is the main
//! app's: the same stores, theme and SSE agent, which here also feeds live notes
//! ([`crate::live_notes::FOLLOWER`]; the other apps leave them out). Moving from one session
//! to another stays in this app; every other route loads its own app in full.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::require_auth::RequireAuth;
use crate::pages::{coaching_session::CoachingSessionPage, not_found::OtherAppPage};
use crate::root::AppRoot;
use crate::routes::{Part, Route};

/// The whole session app.
#[component]
pub fn SessionApp() -> Html {
    crate::render_count::count_render();
    html! {
        <AppRoot part={Part::Session} follower={Some(crate::live_notes::FOLLOWER)}>
            <Switch<Route> render={switch} />
        </AppRoot>
    }
}

/// Renders the session page; the other routes belong to the other apps.
fn switch(route: Route) -> Html {
    match route {
        Route::CoachingSession { id } => html! { <RequireAuth><CoachingSessionPage {id} /></RequireAuth> },
        Route::Home
        | Route::Login
        | Route::Dashboard
        | Route::Actions
        | Route::NotFound
        | Route::Setup { .. }
        | Route::ForgotPassword
        | Route::ResetPassword { .. }
        | Route::Settings
        | Route::Members { .. }
        | Route::AdminOrganizations => html! { <OtherAppPage /> },
    }
}

//! The root component: store context, router, the SSE agent, and the page of the route.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::require_auth::RequireAuth;
use crate::pages::{
    actions::ActionsPage,
    coaching_session::CoachingSessionPage,
    dashboard::DashboardPage,
    home::HomePage,
    login::LoginPage,
    members::MembersPage,
    not_found::NotFoundPage,
    organizations::AdminOrganizationsPage,
    passwords::{ForgotPasswordPage, ResetPasswordPage, SetupPage},
    settings::SettingsPage,
};
use crate::realtime::SseAgent;
use crate::routes::Route;
use crate::stores::preferences::Preferences;
use crate::stores::StoreRoot;

/// The whole app.
#[component]
pub fn App() -> Html {
    crate::render_count::count_render();
    html! {
        <StoreRoot>
            <ThemeFollower />
            <BrowserRouter>
                <SseAgent />
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </StoreRoot>
    }
}

/// Keeps the page in the theme chosen on this browser (in every tab: preferences sync).
#[component]
fn ThemeFollower() -> Html {
    let theme = yewdux::use_selector(|preferences: &Preferences| preferences.theme);
    use_effect_with(*theme, |theme| crate::theme::apply(*theme));
    Html::default()
}

/// Renders the page of a route; signed-in pages sit behind [`RequireAuth`].
fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Login => html! { <LoginPage /> },
        Route::Dashboard => html! { <RequireAuth><DashboardPage /></RequireAuth> },
        Route::CoachingSession { id } => html! { <RequireAuth><CoachingSessionPage {id} /></RequireAuth> },
        Route::Actions => html! { <RequireAuth><ActionsPage /></RequireAuth> },
        Route::Setup { token } => html! { <SetupPage {token} /> },
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword { token } => html! { <ResetPasswordPage {token} /> },
        Route::Settings => html! { <RequireAuth><SettingsPage /></RequireAuth> },
        Route::Members { id } => html! { <RequireAuth><MembersPage {id} /></RequireAuth> },
        Route::AdminOrganizations => html! { <RequireAuth><AdminOrganizationsPage /></RequireAuth> },
        Route::NotFound => html! { <NotFoundPage /> },
    }
}

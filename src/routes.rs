//! The routes of the app, which of the three apps serves each ([`Part`]), and the login page's
//! query. Everything may import this module; it imports no page or component (the pages of
//! the routes are chosen in [`crate::app`], [`crate::session_app`] and
//! [`crate::accounts_app`]).

use serde::{Deserialize, Serialize};
use tandem_protocol::{CoachingSessionId, OrganizationId};
use yew_router::prelude::*;

/// Every page of the app.
#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/login")]
    Login,
    #[at("/dashboard")]
    Dashboard,
    #[at("/coaching-sessions/:id")]
    CoachingSession { id: CoachingSessionId },
    #[at("/actions")]
    Actions,
    /// An invitation's link: the invited person sets their password.
    #[at("/setup/:token")]
    Setup { token: String },
    #[at("/forgot-password")]
    ForgotPassword,
    /// A password reset's link.
    #[at("/reset-password/:token")]
    ResetPassword { token: String },
    #[at("/settings")]
    Settings,
    /// An organization's members (its Admins, and SuperAdmins).
    #[at("/organizations/:id/members")]
    Members { id: OrganizationId },
    /// Every organization (SuperAdmins).
    #[at("/admin/organizations")]
    AdminOrganizations,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// The three apps the web app is built as, each within issue 23's budget for what a page
/// loads. The main one serves the sign-in, dashboard and actions pages; the coaching session
/// page, the largest (live notes with their merge engine, presence, the panels), is an app of
/// its own, and so are the account pages, which only some people use and seldom (setup,
/// password reset, settings, administration). The server hands out each page's app
/// (`server/src/static_files.rs` names the same paths); moving between two apps is a full
/// page load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Part {
    #[default]
    Main,
    /// `/coaching-sessions/{id}`.
    Session,
    Accounts,
}

impl Route {
    /// Which app serves this route.
    pub fn part(&self) -> Part {
        match self {
            Route::Home | Route::Login | Route::Dashboard | Route::Actions | Route::NotFound => Part::Main,
            Route::CoachingSession { .. } => Part::Session,
            Route::Setup { .. }
            | Route::ForgotPassword
            | Route::ResetPassword { .. }
            | Route::Settings
            | Route::Members { .. }
            | Route::AdminOrganizations => Part::Accounts,
        }
    }
}

/// Query of `/login`: why the person is here and where to go after signing in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoginQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// `next` when it is a path of this app, never another site (`//evil.example`) or the login
/// page itself.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?;
    let is_local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\");
    (is_local && !next.starts_with("/login")).then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/dashboard")), Some("/dashboard".into()));
        assert_eq!(safe_next(Some("/coaching-sessions/1?x=2")), Some("/coaching-sessions/1?x=2".into()));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/login?next=/dashboard")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn routes_recognise_their_paths() {
        assert_eq!(Route::recognize("/dashboard"), Some(Route::Dashboard));
        assert_eq!(Route::recognize("/login"), Some(Route::Login));
        assert_eq!(Route::recognize("/nope"), Some(Route::NotFound));
        assert_eq!(Route::recognize("/actions"), Some(Route::Actions));
        let id = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
        assert_eq!(
            Route::recognize(&format!("/coaching-sessions/{id}")),
            Some(Route::CoachingSession { id: id.parse().unwrap() })
        );
        assert_eq!(Route::recognize("/coaching-sessions/not-an-id"), Some(Route::NotFound));
    }

    #[test]
    fn account_and_administration_routes_recognise_their_paths() {
        let token = "Zm9vYmFyYmF6cXV4LXRva2VuX3dpdGgtNDMtY2hhcnM";
        assert_eq!(Route::recognize(&format!("/setup/{token}")), Some(Route::Setup { token: token.into() }));
        assert_eq!(
            Route::recognize(&format!("/reset-password/{token}")),
            Some(Route::ResetPassword { token: token.into() })
        );
        assert_eq!(Route::recognize("/forgot-password"), Some(Route::ForgotPassword));
        assert_eq!(Route::recognize("/settings"), Some(Route::Settings));
        assert_eq!(Route::recognize("/admin/organizations"), Some(Route::AdminOrganizations));
        let id = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
        assert_eq!(
            Route::recognize(&format!("/organizations/{id}/members")),
            Some(Route::Members { id: id.parse().unwrap() })
        );
        assert_eq!(Route::Members { id: id.parse().unwrap() }.to_path(), format!("/organizations/{id}/members"));
        assert_eq!(Route::recognize("/organizations/nope/members"), Some(Route::NotFound));
    }

    #[test]
    fn the_account_pages_are_the_accounts_app_a_session_the_session_app_and_the_rest_the_main_one() {
        let id = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
        for path in [
            "/setup/t".to_owned(),
            "/forgot-password".to_owned(),
            "/reset-password/t".to_owned(),
            "/settings".to_owned(),
            format!("/organizations/{id}/members"),
            "/admin/organizations".to_owned(),
        ] {
            assert_eq!(Route::recognize(&path).map(|route| route.part()), Some(Part::Accounts), "{path}");
        }
        for path in [format!("/coaching-sessions/{id}"), format!("/coaching-sessions/{id}/")] {
            assert_eq!(Route::recognize(&path).map(|route| route.part()), Some(Part::Session), "{path}");
        }
        // An id that is none is no session: the main app says "Page not found".
        for path in ["/", "/login", "/dashboard", "/actions", "/nope", "/coaching-sessions/not-an-id"] {
            assert_eq!(Route::recognize(path).map(|route| route.part()), Some(Part::Main), "{path}");
        }
    }
}

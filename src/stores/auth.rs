//! The auth store: who is signed in, and why the last session ended. Persisted in
//! localStorage and synced across tabs, so signing in or out in one tab moves every tab.

use serde::{Deserialize, Serialize};
use tandem_protocol::LoginUser;
use yewdux::Store;

/// Why a person is no longer signed in; shown on the login page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignOutReason {
    /// They pressed "Sign out".
    SignedOut,
    /// The server answered 401: the session expired or was ended elsewhere.
    SessionExpired,
    /// The server ended the session and said why.
    ForcedLogout(String),
}

impl SignOutReason {
    /// The `reason` query value of the login page.
    pub fn code(&self) -> &'static str {
        match self {
            SignOutReason::SignedOut => "signed_out",
            SignOutReason::SessionExpired => "session_expired",
            SignOutReason::ForcedLogout(_) => "forced_logout",
        }
    }

    /// The `message` query value, where there is one.
    pub fn message(&self) -> Option<&str> {
        match self {
            SignOutReason::ForcedLogout(message) => Some(message),
            _ => None,
        }
    }

    /// What the login page says for a `reason` (and `message`) in its URL.
    pub fn describe(code: &str, message: Option<&str>) -> Option<String> {
        let message = message.map(str::trim).filter(|m| !m.is_empty());
        match code {
            "signed_out" => Some("You have signed out.".into()),
            "session_expired" => Some("Your session has ended. Please sign in again.".into()),
            "forced_logout" => Some(match message {
                Some(message) => format!("You were signed out: {message}"),
                None => "You were signed out by the server. Please sign in again.".into(),
            }),
            _ => None,
        }
    }
}

/// The signed-in person, if any.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Store)]
#[store(storage = "local", storage_tab_sync)]
pub struct AuthStore {
    pub user: Option<LoginUser>,
    /// Why the last session ended; cleared on sign-in.
    pub ended: Option<SignOutReason>,
    /// The person's default session length in minutes, from their profile (the sign-in's
    /// answer lacks it); `None` until the profile is read.
    #[serde(default)]
    pub session_minutes: Option<i32>,
}

impl AuthStore {
    /// Whether someone is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_round_trip_through_the_login_url() {
        for reason in [
            SignOutReason::SignedOut,
            SignOutReason::SessionExpired,
            SignOutReason::ForcedLogout("Password changed".into()),
        ] {
            let text = SignOutReason::describe(reason.code(), reason.message()).unwrap();
            assert!(!text.is_empty());
        }
        assert_eq!(
            SignOutReason::describe("forced_logout", Some("Your password was changed")).unwrap(),
            "You were signed out: Your password was changed"
        );
        assert_eq!(
            SignOutReason::describe("forced_logout", Some("  ")).unwrap(),
            "You were signed out by the server. Please sign in again."
        );
        assert_eq!(SignOutReason::describe("bogus", None), None);
    }
}

//! Guard of the signed-in pages: without a signed-in person, go to the login page, saying
//! why and remembering where the person wanted to go.

use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::use_store_value;

use crate::navigation::use_go_to;
use crate::routes::{LoginQuery, Route};
use crate::stores::auth::{AuthStore, SignOutReason};

/// Props of [`RequireAuth`].
#[derive(Properties, PartialEq)]
pub struct RequireAuthProps {
    pub children: Html,
}

/// Renders its children only while someone is signed in.
#[component]
pub fn RequireAuth(props: &RequireAuthProps) -> Html {
    crate::render_count::count_render();
    let auth = use_store_value::<AuthStore>();
    let go_to = use_go_to();
    let location = use_location();
    let signed_in = auth.is_signed_in();
    {
        let auth = auth.clone();
        use_effect_with(signed_in, move |signed_in| {
            if !*signed_in {
                let here = location.map(|l| format!("{}{}", l.path(), l.query_str()));
                let query = login_query(auth.ended.as_ref(), here);
                if let Err(error) = go_to.replace_with_query(&Route::Login, &query) {
                    gloo::console::error!(format!("cannot go to the login page: {error}"));
                }
            }
        });
    }
    if signed_in {
        props.children.clone()
    } else {
        Html::default()
    }
}

/// Where a signed-out person is sent: the reason the session ended, and the page to come
/// back to unless they signed out on purpose.
pub fn login_query(ended: Option<&SignOutReason>, here: Option<String>) -> LoginQuery {
    LoginQuery {
        reason: ended.map(|reason| reason.code().to_owned()),
        message: ended.and_then(SignOutReason::message).map(str::to_owned),
        next: match ended {
            Some(SignOutReason::SignedOut) | Some(SignOutReason::ForcedLogout(_)) => None,
            _ => here,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deep_link_comes_back_after_sign_in() {
        let query = login_query(None, Some("/dashboard".into()));
        assert_eq!(query, LoginQuery { reason: None, message: None, next: Some("/dashboard".into()) });
        let expired = login_query(Some(&SignOutReason::SessionExpired), Some("/dashboard".into()));
        assert_eq!(expired.reason.as_deref(), Some("session_expired"));
        assert_eq!(expired.next.as_deref(), Some("/dashboard"));
    }

    #[test]
    fn signing_out_on_purpose_forgets_the_page() {
        let query = login_query(Some(&SignOutReason::SignedOut), Some("/dashboard".into()));
        assert_eq!(query.next, None);
        let forced = login_query(Some(&SignOutReason::ForcedLogout("Password changed".into())), Some("/x".into()));
        assert_eq!(forced.reason.as_deref(), Some("forced_logout"));
        assert_eq!(forced.message.as_deref(), Some("Password changed"));
    }
}

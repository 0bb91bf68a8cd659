//! Signing in and out, the one path every way of ending a session takes (the sign-out
//! button, a 401 from any call, a `force_logout` event).

use tandem_protocol::LoginUser;

use crate::api;
use crate::stores::auth::{AuthStore, SignOutReason};
use crate::stores::cache::{CacheAction, CacheStore};
use crate::stores::dispatch;

/// Makes a 401 from any API call end the session (called once at start).
pub fn install() {
    api::client::on_session_ended(|| end(SignOutReason::SessionExpired));
}

/// Records a successful sign-in.
pub fn signed_in(user: LoginUser) {
    dispatch::<CacheStore>().apply(CacheAction::Clear);
    dispatch::<AuthStore>().set(AuthStore { user: Some(user), ended: None });
}

/// Ends the session in this browser: clears the stores, and the route guard of every tab
/// then shows the login page with the reason.
pub fn end(reason: SignOutReason) {
    // Nothing of this person may stay on screen for the next one.
    dispatch::<CacheStore>().apply(CacheAction::Clear);
    dispatch::<AuthStore>().reduce_mut(|auth| {
        if auth.user.is_some() {
            auth.user = None;
            auth.ended = Some(reason);
        }
    });
}

/// The "Sign out" button: this browser forgets the person at once (every tab follows, with
/// "you have signed out"), then the server ends the session; when the server cannot be
/// reached the browser has still signed out.
pub async fn sign_out() {
    // The SSE agent follows the auth store: it closes this tab's stream before the request
    // below leaves, so the server's force_logout for this login is not heard here.
    end(SignOutReason::SignedOut);
    if let Err(error) = api::session::logout().await {
        gloo::console::warn!(format!("sign-out request failed: {error:?}"));
    }
}

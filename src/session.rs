//! Signing in and out, the one path every way of ending a session takes (the sign-out
//! button, a 401 from any call, a `force_logout` event), and the signed-in person's own
//! profile, kept in the auth store so the header's name and every shown time follow it.

use tandem_protocol::{Event, LoginUser, User, UserId};

use crate::api::{self, ApiError};
use crate::stores::auth::{AuthStore, SignOutReason};
use crate::stores::cache::{CacheAction, CacheStore};
use crate::stores::change::{Effect, Scope};
use crate::stores::{dispatch, effects, written};

/// Makes a 401 from any API call end the session (called once at start).
pub fn install() {
    api::client::on_session_ended(|| end(SignOutReason::SessionExpired));
}

/// Records a successful sign-in, then reads the rest of the person's profile (the default
/// session length the sign-in's answer lacks).
pub fn signed_in(user: LoginUser) {
    let id = user.id;
    record_sign_in(user);
    wasm_bindgen_futures::spawn_local(refresh_profile(id));
}

/// The signed-in person into the auth store, with nothing of the last one's in the cache.
fn record_sign_in(user: LoginUser) {
    dispatch::<CacheStore>().apply(CacheAction::Clear);
    dispatch::<AuthStore>().set(AuthStore { user: Some(user), ..AuthStore::default() });
}

/// Signs in with an email and password (after setting the password through a link), and has
/// read the person's profile when it returns: the page may then be left at once (setup and
/// reset go on to the main app with a full page load).
pub async fn sign_in(email: &str, password: &str) -> Result<(), ApiError> {
    let user = api::session::login(email, password).await?;
    let id = user.id;
    record_sign_in(user);
    refresh_profile(id).await;
    Ok(())
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
        // Offline, say: this browser has signed out all the same, nothing to alarm anyone.
        gloo::console::debug!(format!("sign-out request failed: {error:?}"));
    }
}

/// What the auth store keeps of a profile.
pub fn login_user(user: &User) -> LoginUser {
    LoginUser {
        id: user.id,
        email: user.email.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        display_name: user.display_name.clone(),
        timezone: user.timezone.clone(),
        roles: user.roles.clone(),
    }
}

/// The person's profile as the server now holds it: into the cache (the settings page) and,
/// while they are the one signed in, into the auth store (every tab follows).
pub fn profile_loaded(user: &User) {
    written::profile_loaded(user);
    dispatch::<AuthStore>().reduce_mut(|auth| {
        if auth.user.as_ref().is_some_and(|me| me.id == user.id) {
            auth.user = Some(login_user(user));
            auth.session_minutes = Some(user.default_coaching_session_duration_minutes);
        }
    });
}

/// Reads the person's profile again (`GET /users/{id}`).
pub async fn refresh_profile(id: UserId) {
    match api::accounts::profile(id).await {
        Ok(user) => profile_loaded(&user),
        Err(error) => gloo::console::warn!(format!("could not read the profile: {error:?}")),
    }
}

/// What an event means for the signed-in person themselves [extension]: a change of their
/// own profile or role reads their profile again; a new role in an organization changes
/// which of its relationships they see.
pub fn on_event(event: &Event) {
    let Some(me) = dispatch::<AuthStore>().get().user.as_ref().map(|user| user.id) else { return };
    let mine = match event {
        Event::UserUpdated(e) => e.user_id == me,
        Event::OrganizationMemberChanged(e) if e.user.id == me => {
            effects::apply(vec![Effect::Revalidate(Scope::Relationships(e.organization_id))]);
            true
        }
        _ => false,
    };
    if mine {
        wasm_bindgen_futures::spawn_local(refresh_profile(me));
    }
}

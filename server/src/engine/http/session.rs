//! Signing in (`POST /login`) and out (`DELETE /delete`).

use axum::extract::State;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{AppendHeaders, IntoResponse};
use axum::routing::{delete, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{Envelope, LoginForm};
use tower_sessions::Session;

use super::super::auth::{password, SessionAuth, AUTH_KEY};
use super::super::db::{logins, users};
use super::super::events;
use super::super::state::AppState;
use super::{validate, Form, Json};
use crate::error::{Error, Result};
use crate::limits::ClientAddress;

pub fn router() -> Router<AppState> {
    Router::new().route("/login", post(login)).route("/delete", delete(logout))
}

/// Checks the password, starts a login and a fresh cookie session. Failed tries are
/// throttled per address and per account (a browser known to the account by its device
/// cookie has an allowance of its own), successful ones per minute; password checks run a
/// few at a time.
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Result<impl IntoResponse> {
    validate::text("email", Some(&form.email), validate::EMAIL_MAX)?;
    validate::text("password", Some(&form.password), validate::PASSWORD_MAX)?;
    // A browser that signed in to this account before (a valid device cookie).
    let device = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookies| state.devices.verify(cookies, &form.email));
    state.limits.login.check(address, &form.email, device)?;
    let stored = users::by_email(&state.db, &form.email).await?;
    let password = form.password.clone();
    let verified = state
        .limits
        .password_checks
        .run(move || match stored {
            Some(stored) if password::verify(&password, &stored.password_hash) => Some(stored),
            Some(_) => None,
            None => {
                password::verify_nothing(&password);
                None
            }
        })
        .await?;
    let Some(stored) = verified else {
        tracing::info!(%address, "failed sign-in");
        state.limits.login.failed(address, &form.email, device);
        return Err(Error::Unauthorized);
    };
    state.limits.login.succeeded(address, &form.email)?;

    let login_id = logins::start(&state.db, stored.user.id, Utc::now()).await?;
    // A new id on sign-in, so a session id planted before it is worth nothing after.
    session.cycle_id().await?;
    session.insert(AUTH_KEY, SessionAuth { user_id: stored.user.id, login_id }).await?;
    tracing::info!(user = %stored.user.id, "signed in");
    // A fresh device cookie each time: a year from the last sign-in.
    let known = HeaderValue::from_str(&state.devices.issue(&form.email)).ok();
    Ok((AppendHeaders(known.map(|value| (SET_COOKIE, value))), Json(Envelope::ok(stored.login_user()))))
}

/// Ends the login of this cookie session, if any. Always 200: signing out twice is fine.
async fn logout(State(state): State<AppState>, session: Session) -> Result<()> {
    if let Some(auth) = session.get::<SessionAuth>(AUTH_KEY).await? {
        logins::revoke(&state.db, auth.login_id, Utc::now()).await?;
        // The other tabs of this browser share the login: tell them it is over.
        let reason = "You signed out in another tab.";
        events::force_logout(&state.db, &state.hub, auth.user_id, vec![auth.login_id], reason).await?;
        tracing::info!(user = %auth.user_id, "signed out");
    }
    session.flush().await?;
    Ok(())
}

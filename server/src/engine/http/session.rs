//! Signing in (`POST /login`) and out (`DELETE /delete`).

use axum::extract::State;
use axum::routing::{delete, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{Envelope, LoginForm, LoginUser};
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
/// throttled per address and per account; password checks run a few at a time.
async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Result<Json<Envelope<LoginUser>>> {
    validate::text("email", Some(&form.email), validate::EMAIL_MAX)?;
    validate::text("password", Some(&form.password), validate::PASSWORD_MAX)?;
    state.limits.login.check(address, &form.email)?;
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
        state.limits.login.failed(address, &form.email);
        return Err(Error::Unauthorized);
    };

    let login_id = logins::start(&state.db, stored.user.id, Utc::now()).await?;
    // A new id on sign-in, so a session id planted before it is worth nothing after.
    session.cycle_id().await?;
    session.insert(AUTH_KEY, SessionAuth { user_id: stored.user.id, login_id }).await?;
    tracing::info!(user = %stored.user.id, "signed in");
    Ok(Json(Envelope::ok(stored.login_user())))
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

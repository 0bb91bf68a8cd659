//! Links that set a password without signing in first: the invitation's setup link
//! (`/magic-link/…`) and the forgotten password's (`/password-reset/…`). No `X-Version`, as
//! in the reference. A bad, used or expired token is always the same 400, never a 500.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Envelope, PasswordResetRequest, ResetFor, SetPassword, TokenInput, User, UserId,
    ERROR_INVALID_OR_EXPIRED_TOKEN, ERROR_PASSWORD_RESET_RATE_LIMITED,
};

use super::super::dialect;
use super::super::auth::{links, password};
use super::super::db::account_tokens::{self, Purpose};
use super::super::db::{logins, organizations, users};
use super::super::state::AppState;
use super::super::write::PeopleWrite;
use super::super::{events, mailer};
use super::members::announce_member;
use super::{validate, Json, Query};
use crate::auth::tokens;
use crate::error::{Error, Result};
use crate::limits::ClientAddress;
use crate::mail::templates::{self, Recipient};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/magic-link/validate", get(validate_setup))
        .route("/magic-link/complete-setup", post(complete_setup))
        .route("/password-reset/request", post(request_reset))
        .route("/password-reset/validate", post(validate_reset))
        .route("/password-reset/complete", post(complete_reset))
}

fn invalid_token(purpose: Purpose) -> Error {
    let message = match purpose {
        Purpose::Setup => "This invitation link is no longer valid. Ask your coach for a new invitation.",
        Purpose::Reset => "This password reset link is no longer valid. Ask for a new one.",
    };
    Error::coded(StatusCode::BAD_REQUEST, ERROR_INVALID_OR_EXPIRED_TOKEN, message)
}

/// The person a still-usable link of `purpose` is for.
async fn holder(state: &AppState, token: &str, purpose: Purpose) -> Result<users::StoredUser> {
    let stored_form = tokens::stored_form(token).ok_or_else(|| invalid_token(purpose))?;
    let found = account_tokens::find(&state.db, &stored_form, purpose).await?;
    let usable = found.filter(|row| row.is_usable(Utc::now())).ok_or_else(|| invalid_token(purpose))?;
    users::by_id(&state.db, usable.user_id).await?.ok_or_else(|| invalid_token(purpose))
}

async fn validate_setup(
    State(state): State<AppState>,
    Query(input): Query<TokenInput>,
) -> Result<Json<Envelope<User>>> {
    let stored = holder(&state, &input.token, Purpose::Setup).await?;
    Ok(Json(Envelope::ok(stored.user)))
}

async fn validate_reset(State(state): State<AppState>, Json(input): Json<TokenInput>) -> Result<Json<Envelope<ResetFor>>> {
    let stored = holder(&state, &input.token, Purpose::Reset).await?;
    Ok(Json(Envelope::ok(ResetFor { first_name: stored.user.first_name, last_name: stored.user.last_name })))
}

/// Hashes a new password (a few at a time, off the async threads).
async fn hash_new(state: &AppState, input: &SetPassword) -> Result<String> {
    validate::new_password(&input.password, &input.confirm_password)?;
    let chosen = input.password.clone();
    let hashed = state.limits.password_checks.run(move || password::hash(&chosen)).await?;
    hashed.map_err(|e| Error::Internal(format!("hashing: {e}")))
}

/// Uses the link and sets the password in one write; the person's organizations' member
/// lists hear that they are active now. Returns the person and their sign-ins it ended.
async fn set_password(
    state: &AppState,
    input: &SetPassword,
    purpose: Purpose,
) -> Result<(User, Vec<crate::auth::LoginId>)> {
    let stored = holder(state, &input.token, purpose).await?;
    if purpose == Purpose::Setup && stored.has_password() {
        return Err(Error::validation("User has already completed setup"));
    }
    let hash = hash_new(state, input).await?;
    let stored_form = tokens::stored_form(&input.token).ok_or_else(|| invalid_token(purpose))?;
    let now = Utc::now();
    let mut write = PeopleWrite::begin(state).await?;
    let user: UserId =
        account_tokens::consume(write.db(), &stored_form, purpose, now).await?.ok_or_else(|| invalid_token(purpose))?;
    users::set_password_hash(write.db(), user, &hash, now).await?;
    // A person who sets their password by either link no longer needs an invitation.
    account_tokens::issue_none(write.db(), user, Purpose::Setup, now).await?;
    let ended = if purpose == Purpose::Reset { logins::revoke_all(write.db(), user, now).await? } else { Vec::new() };
    if !stored.has_password() {
        for organization in organizations::of_member(write.db(), user).await? {
            announce_member(&mut write, organization.id, user).await?;
        }
    }
    write.commit().await?;
    let updated = users::by_id(&state.db, user).await?.ok_or(Error::NotFound)?;
    Ok((updated.user, ended))
}

async fn complete_setup(State(state): State<AppState>, Json(input): Json<SetPassword>) -> Result<Json<Envelope<User>>> {
    let (user, _) = set_password(&state, &input, Purpose::Setup).await?;
    tracing::info!(user = %user.id, "setup completed");
    Ok(Json(Envelope::ok(user)))
}

/// Sets the new password and signs the person out everywhere.
async fn complete_reset(State(state): State<AppState>, Json(input): Json<SetPassword>) -> Result<Json<Envelope<User>>> {
    let (user, ended) = set_password(&state, &input, Purpose::Reset).await?;
    let count = ended.len();
    events::force_logout(&state.db, &state.hub, user.id, ended, "Your password was reset.").await?;
    tracing::info!(user = %user.id, ended = count, "password reset");
    Ok(Json(Envelope::ok(user)))
}

/// Mails a reset link to the account with this email, if there is one. The answer is the
/// same either way (it never tells who has an account); requests are limited per client
/// address (429), mails per account (beyond the allowance, nothing is sent).
async fn request_reset(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Json(input): Json<PasswordResetRequest>,
) -> Result<Json<Envelope<Option<()>>>> {
    let email = validate::email(&input.email).map_err(|error| Error::BadRequest(error.to_string()))?;
    state.limits.reset_requests.take(&address).inspect_err(|_| crate::telemetry::throttled("password_resets")).map_err(|wait| Error::TooManyRequests {
        kind: ERROR_PASSWORD_RESET_RATE_LIMITED,
        message: "Too many password reset requests from here. Please wait a few minutes.".into(),
        retry_after: wait,
    })?;
    let answer = Json(Envelope { status_code: 200, data: None });
    let Some(stored) = users::by_email_ignoring_case(&state.db, &email).await? else {
        tracing::info!(%address, "password reset asked for an unknown email");
        return Ok(answer);
    };
    let now = Utc::now();
    let allowance = i64::from(state.config.password_resets_per_account);
    let recent = account_tokens::issued_since(&state.db, stored.user.id, Purpose::Reset, now - chrono::Duration::hours(1)).await?;
    if recent >= allowance {
        tracing::warn!(user = %stored.user.id, "password reset mails for this account are over the hourly allowance");
        return Ok(answer);
    }
    let mut tx = dialect::begin_write(&state.db).await?;
    let link = links::issue(&mut tx, &state.config.public_url, stored.user.id, Purpose::Reset, now).await?;
    let to = Recipient { email: &stored.user.email, first_name: &stored.user.first_name };
    mailer::queue(&mut tx, &templates::password_reset(&to, &link, links::RESET_MINUTES)).await?;
    tx.commit().await?;
    mailer::wake(&state);
    tracing::info!(user = %stored.user.id, "password reset mail queued");
    Ok(answer)
}

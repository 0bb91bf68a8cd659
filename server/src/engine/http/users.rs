//! `/users/{id}/…`: a person reads only themselves (their coach may read their actions),
//! changes their password and ends their other sessions.

use axum::extract::State;
use axum::routing::{delete, get, put};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{Action, Envelope, Organization, PasswordChange, User, UserActionsQuery, UserId};

use super::super::auth::{password, CurrentUser};
use super::super::db::actions::{self, Order, UserActionFilter};
use super::super::db::{logins, organizations, relationships, users};
use super::super::events;
use super::super::state::AppState;
use super::{Json, Path, Query};
use crate::error::{Error, Result};

/// Shortest and longest password accepted.
const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 8..=128;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users/{id}", get(get_user))
        .route("/users/{id}/organizations", get(user_organizations))
        .route("/users/{id}/actions", get(user_actions))
        .route("/users/{id}/password", put(change_password))
        .route("/users/{id}/sessions", delete(end_other_sessions))
}

fn require_self(me: &CurrentUser, user_id: UserId) -> Result<()> {
    if me.id == user_id {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

async fn get_user(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
) -> Result<Json<Envelope<User>>> {
    require_self(&me, user_id)?;
    let stored = users::by_id(&state.db, user_id).await?.ok_or(Error::NotFound)?;
    Ok(Json(Envelope::ok(stored.user)))
}

async fn user_organizations(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
) -> Result<Json<Envelope<Vec<Organization>>>> {
    require_self(&me, user_id)?;
    Ok(Json(Envelope::ok(organizations::of_member(&state.db, user_id).await?)))
}

/// The actions assigned to a person: their own, or (for their coach) those in the
/// relationships the coach coaches.
async fn user_actions(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
    Query(query): Query<UserActionsQuery>,
) -> Result<Json<Envelope<Vec<Action>>>> {
    let coached_by_viewer = if me.id == user_id {
        false
    } else if !relationships::coached_by(&state.db, me.id, user_id).await?.is_empty() {
        true
    } else {
        return Err(Error::Forbidden);
    };
    let filter = UserActionFilter {
        assignee: user_id,
        viewer: me.id,
        coached_by_viewer,
        relationship: query.coaching_relationship_id,
        status: query.status,
        order: Order::from_query(query.sort_by, query.sort_order),
    };
    let mut db = state.db.acquire().await?;
    Ok(Json(Envelope::ok(actions::of_user(&mut db, &filter).await?)))
}

/// Changes the password and ends every other session of the person at once.
async fn change_password(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
    Json(input): Json<PasswordChange>,
) -> Result<Json<Envelope<Option<()>>>> {
    require_self(&me, user_id)?;
    if input.new_password != input.confirm_password {
        return Err(Error::validation("The new password and its confirmation differ."));
    }
    if !PASSWORD_LENGTH.contains(&input.new_password.chars().count()) {
        return Err(Error::validation(format!(
            "The new password must have {} to {} characters.",
            PASSWORD_LENGTH.start(),
            PASSWORD_LENGTH.end()
        )));
    }
    let stored = users::by_id(&state.db, user_id).await?.ok_or(Error::NotFound)?;
    let PasswordChange { current_password, new_password, .. } = input;
    super::validate::text("current password", Some(&current_password), super::validate::PASSWORD_MAX)?;
    let hash = state
        .limits
        .password_checks
        .run(move || {
            if password::verify(&current_password, &stored.password_hash) {
                password::hash(&new_password).map(Some).map_err(|e| Error::Internal(format!("hashing: {e}")))
            } else {
                Ok(None)
            }
        })
        .await??;
    // A wrong current password is a 422, not a 401: it must not sign this session out.
    let hash = hash.ok_or_else(|| Error::validation("The current password is not correct."))?;

    let now = Utc::now();
    let mut tx = state.db.begin().await?;
    users::set_password_hash(&mut *tx, user_id, &hash, now).await?;
    let ended = logins::revoke_others(&mut *tx, user_id, me.login_id, now).await?;
    tx.commit().await?;
    let count = ended.len();
    events::force_logout(&state.db, &state.hub, user_id, ended, "Your password was changed.").await?;
    tracing::info!(user = %user_id, ended = count, "password changed");
    Ok(Json(Envelope::no_content()))
}

/// Ends every session of the person but this one [extension].
async fn end_other_sessions(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
) -> Result<Json<Envelope<Option<()>>>> {
    require_self(&me, user_id)?;
    let ended = logins::revoke_others(&state.db, user_id, me.login_id, Utc::now()).await?;
    let count = ended.len();
    let reason = "Your session was ended from another device.";
    events::force_logout(&state.db, &state.hub, user_id, ended, reason).await?;
    tracing::info!(user = %user_id, ended = count, "other sessions ended");
    Ok(Json(Envelope::no_content()))
}

//! `/users/{id}/…`: a person reads only themselves (their coach may read their actions),
//! changes their password and ends their other sessions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Action, CoachingRelationship, Envelope, Event, Organization, PasswordChange, User, UserActionsQuery, UserId,
    OrganizationStatus,
    UserLookupQuery, UserLookupResult, UserRelationshipsQuery, UserUpdate, UserUpdated, ERROR_USER_LOOKUP_RATE_LIMITED,
};

use super::super::dialect;
use super::super::auth::{password, CurrentUser, Grants};
use super::super::db::actions::{self, Order, UserActionFilter};
use super::super::db::{logins, organizations, relationships, users};
use super::super::events;
use super::super::state::AppState;
use super::super::write::PeopleWrite;
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(lookup))
        .route("/users/{id}", get(get_user).put(update_user))
        .route("/users/{id}/coaching-relationships", get(user_relationships))
        .route("/users/{id}/organizations", get(user_organizations))
        .route("/users/{id}/actions", get(user_actions))
        .route("/users/{id}/password", put(change_password))
        .route("/users/{id}/sessions", delete(end_other_sessions))
}

/// Only the person themselves (403 for anyone else).
pub(super) fn require_self(me: &CurrentUser, user_id: UserId) -> Result<()> {
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
    // As the reference: the active ones; a super administrator's are all active ones.
    let scope = if Grants::of(&state.db, me.id).await?.is_super_admin() { None } else { Some(user_id) };
    Ok(Json(Envelope::ok(organizations::list(&state.db, OrganizationStatus::Active, scope).await?)))
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
    validate::new_password(&input.new_password, &input.confirm_password)?;
    let stored = users::by_id(&state.db, user_id).await?.ok_or(Error::NotFound)?;
    let PasswordChange { current_password, new_password, .. } = input;
    validate::text("current password", Some(&current_password), super::validate::PASSWORD_MAX)?;
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
    let mut tx = dialect::begin_write(&state.db).await?;
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

/// Changes the person's own profile; everyone who shows their name hears of it.
async fn update_user(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
    Json(input): Json<UserUpdate>,
) -> Result<Json<Envelope<Option<()>>>> {
    require_self(&me, user_id)?;
    let email = input.email.as_deref().map(validate::email).transpose()?;
    let first_name = input.first_name.as_deref().map(|name| validate::name("first name", name)).transpose()?;
    let last_name = input.last_name.as_deref().map(|name| validate::name("last name", name)).transpose()?;
    let display_name = match input.display_name.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(name) => Some(Some(validate::name("display name", name)?)),
    };
    let github_profile_url = match input.github_profile_url.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(url) => Some(validate::meeting_url(Some(url)).map_err(|_| {
            Error::validation("The GitHub profile must be a web address starting with https://.")
        })?),
    };
    let timezone = input.timezone.as_deref().map(validate::timezone).transpose()?;
    let default_duration = input.default_coaching_session_duration_minutes.map(validate::duration).transpose()?;
    if let Some(email) = &email {
        let taken = users::by_email_ignoring_case(&state.db, email).await?.is_some_and(|other| other.user.id != user_id);
        if taken {
            return Err(Error::Conflict { message: "A user with that email already exists.".into(), details: None });
        }
    }
    let change = users::ProfileChange {
        email: email.as_deref(),
        first_name,
        last_name,
        display_name,
        github_profile_url,
        timezone,
        default_duration,
    };
    let mut write = PeopleWrite::begin(&state).await?;
    if !users::update_profile(write.db(), user_id, &change, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let stored = users::by_id_in(write.db(), user_id).await?.ok_or(Error::NotFound)?;
    let mut audience = users::who_sees(write.db(), user_id).await?;
    audience.extend(users::super_admins(write.db()).await?);
    audience.push(user_id);
    let event = UserUpdated {
        user_id,
        first_name: stored.first_name,
        last_name: stored.last_name,
        display_name: stored.display_name,
    };
    write.emit_to(audience, Event::UserUpdated(event));
    write.commit().await?;
    Ok(Json(Envelope { status_code: StatusCode::NO_CONTENT.as_u16(), data: None }))
}

/// The person's coaching relationships, as coach, coachee or both.
async fn user_relationships(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user_id): Path<UserId>,
    Query(query): Query<UserRelationshipsQuery>,
) -> Result<Json<Envelope<Vec<CoachingRelationship>>>> {
    require_self(&me, user_id)?;
    let side = query.role.unwrap_or_default();
    Ok(Json(Envelope::ok(relationships::of_user(&state.db, user_id, side).await?)))
}

/// Finds a person by email for an administrator: a super administrator finds anyone, an
/// organization's administrator the members of the organizations they administer.
async fn lookup(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<UserLookupQuery>,
) -> Result<Json<Envelope<Vec<UserLookupResult>>>> {
    let grants = Grants::of(&state.db, me.id).await?;
    if !grants.administers_any() {
        return Err(Error::ForbiddenBecause("You are not an administrator of any organization".into()));
    }
    let email = query.email.trim();
    if email.is_empty() {
        return Err(Error::validation("The email must not be empty."));
    }
    state.limits.lookups.take(&me.id).inspect_err(|_| crate::telemetry::throttled("user_lookups")).map_err(|wait| Error::TooManyRequests {
        kind: ERROR_USER_LOOKUP_RATE_LIMITED,
        message: "Too many lookups. Please wait a minute.".into(),
        retry_after: wait,
    })?;
    let Some(found) = users::by_email_ignoring_case(&state.db, email).await? else {
        return Ok(Json(Envelope::ok(Vec::new())));
    };
    let visible = grants.is_super_admin() || {
        let theirs = organizations::of_member(&state.db, found.user.id).await?;
        theirs.iter().any(|organization| grants.administers(organization.id))
    };
    let results = if visible {
        let user = found.user;
        vec![UserLookupResult { id: user.id, first_name: user.first_name, last_name: user.last_name, email: user.email }]
    } else {
        Vec::new()
    };
    Ok(Json(Envelope::ok(results)))
}

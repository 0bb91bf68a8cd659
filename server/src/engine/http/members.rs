//! `/organizations/{org}/users…`: an organization's members, their invitations and roles.
//! Members read the list; its administrators (and super administrators) change it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Event, MemberChanged, MemberRemoved, NewMember, Organization, OrganizationDetails, OrganizationId,
    RelationshipDeleted, Role, RoleChange, RoleGrant, User, UserId, UserRole, ERROR_LAST_ORGANIZATION_ADMIN,
    ERROR_USER_ALREADY_IN_ORGANIZATION, ERROR_USER_IN_SEVERAL_ORGANIZATIONS,
};

use super::super::auth::{links, password, CurrentUser, Grants};
use super::super::db::account_tokens::Purpose;
use super::super::db::{logins, organizations, relationships, users, Conn};
use super::super::state::AppState;
use super::super::write::PeopleWrite;
use super::super::{events, mailer};
use super::organizations::{pair_in, require_active};
use super::{validate, Json, Path};
use crate::error::{Error, Result};
use crate::mail::templates::{self, Recipient};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations/{org}/users", get(list).post(add))
        .route("/organizations/{org}/users/{user}", delete(remove))
        .route("/organizations/{org}/users/{user}/resend-invite", post(resend_invite))
        .route(
            "/organizations/{org}/users/{user}/role",
            get(read_role).post(attach).put(change_role).delete(detach),
        )
}

/// The organization, if `me` administers it: 404 when it does not exist, 403 otherwise.
async fn administered(state: &AppState, me: UserId, organization: OrganizationId) -> Result<Organization> {
    let found = organizations::by_id(&state.db, organization).await?.ok_or(Error::NotFound)?;
    Grants::of(&state.db, me).await?.require_admin_of(organization)?;
    Ok(found)
}

/// Who watches an organization's member list: its administrators and the super administrators.
async fn watchers(db: &mut Conn, organization: OrganizationId) -> Result<Vec<UserId>> {
    let mut audience = organizations::admins(&mut *db, organization).await?;
    audience.extend(users::super_admins(&mut *db).await?);
    Ok(audience)
}

/// Tells the organization's watchers and the member how the member now looks in the list.
pub async fn announce_member(write: &mut PeopleWrite<'_>, organization: OrganizationId, user: UserId) -> Result<()> {
    let db = write.db();
    let Some(member) = organizations::member(&mut *db, organization, user, Utc::now()).await? else {
        return Ok(());
    };
    let mut audience = watchers(&mut *db, organization).await?;
    audience.push(user);
    write.emit_to(audience, Event::OrganizationMemberChanged(MemberChanged { organization_id: organization, user: member }));
    Ok(())
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<tandem_protocol::Envelope<Vec<User>>>> {
    if !organizations::exists(&state.db, organization).await? {
        return Err(Error::NotFound);
    }
    let grants = Grants::of(&state.db, me.id).await?;
    if !grants.is_super_admin() && !organizations::is_member(&state.db, organization, me.id).await? {
        return Err(Error::ForbiddenBecause("You are not authorized to access the organization".into()));
    }
    let mut db = state.db.acquire().await?;
    Ok(Json(tandem_protocol::Envelope::ok(organizations::members(&mut db, organization, None, Utc::now()).await?)))
}

/// The inviter's name for the invitation's words.
async fn inviter_name(state: &AppState, me: UserId) -> Result<String> {
    Ok(users::by_id(&state.db, me).await?.map(|stored| stored.user.name()).unwrap_or_else(|| "Your coach".into()))
}

/// Adds a new person to the organization (with their coach, when given) and invites them:
/// all of it or nothing.
async fn add(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
    Json(input): Json<NewMember>,
) -> Result<Json<tandem_protocol::Envelope<User>>> {
    let org = administered(&state, me.id, organization).await?;
    require_active(&org)?;
    let email = validate::email(&input.email)?;
    let first_name = validate::name("first name", &input.first_name)?;
    let last_name = validate::name("last name", &input.last_name)?;
    let display_name = match input.display_name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => Some(validate::name("display name", name)?),
        None => None,
    };
    let timezone = validate::timezone(input.timezone.as_deref().unwrap_or("UTC"))?;
    let duration = validate::duration(input.default_coaching_session_duration_minutes.unwrap_or(60))?;
    let hash = match input.password.clone() {
        Some(chosen) => {
            validate::new_password(&chosen, &chosen)?;
            let hashed = state.limits.password_checks.run(move || password::hash(&chosen)).await?;
            Some(hashed.map_err(|e| Error::Internal(format!("hashing: {e}")))?)
        }
        None => None,
    };
    if let Some(existing) = users::by_email_ignoring_case(&state.db, &email).await? {
        if organizations::is_member(&state.db, organization, existing.user.id).await? {
            return Err(Error::conflict_of(
                ERROR_USER_ALREADY_IN_ORGANIZATION,
                "This person is already a member of the organization.",
                OrganizationDetails { organization_id: organization },
            ));
        }
        return Err(Error::Conflict { message: "A user with that email already exists.".into(), details: None });
    }
    let inviter = inviter_name(&state, me.id).await?;
    let now = Utc::now();
    let mut write = PeopleWrite::begin(&state).await?;
    let new = users::NewUser {
        email: &email,
        first_name,
        last_name,
        display_name,
        timezone,
        password_hash: hash.as_deref().unwrap_or(users::NO_PASSWORD),
    };
    let user_id = users::insert(write.db(), &new, now).await?;
    let change = users::ProfileChange { default_duration: Some(duration), ..Default::default() };
    users::update_profile(write.db(), user_id, &change, now).await?;
    organizations::add_member(write.db(), organization, user_id, now).await?;
    users::grant_role(write.db(), user_id, Role::User, Some(organization), now).await?;
    if let Some(coach) = input.coach_id {
        pair_in(&mut write, organization, coach, user_id).await?;
    }
    if hash.is_none() {
        let link = links::issue(write.db(), &state.config.public_url, user_id, Purpose::Setup, now).await?;
        let to = Recipient { email: &email, first_name };
        let mail = templates::invitation(&to, &inviter, &org.name, &link, links::SETUP_DAYS);
        mailer::queue(write.db(), &mail).await?;
    }
    announce_member(&mut write, organization, user_id).await?;
    let added = organizations::member(write.db(), organization, user_id, now).await?.ok_or(Error::NotFound)?;
    write.commit().await?;
    mailer::wake(&state);
    tracing::info!(%organization, user = %user_id, by = %me.id, "member added");
    Ok(Json(tandem_protocol::Envelope::created(added)))
}

/// Sends a member who has not set a password a new invitation; the earlier link stops working.
async fn resend_invite(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
) -> Result<Json<tandem_protocol::Envelope<User>>> {
    let org = administered(&state, me.id, organization).await?;
    if !organizations::is_member(&state.db, organization, user).await? {
        return Err(Error::NotFound);
    }
    let stored = users::by_id(&state.db, user).await?.ok_or(Error::NotFound)?;
    if stored.has_password() {
        return Err(Error::validation("User has already completed setup"));
    }
    let inviter = inviter_name(&state, me.id).await?;
    let now = Utc::now();
    let mut write = PeopleWrite::begin(&state).await?;
    let link = links::issue(write.db(), &state.config.public_url, user, Purpose::Setup, now).await?;
    let to = Recipient { email: &stored.user.email, first_name: &stored.user.first_name };
    let mail = templates::invitation(&to, &inviter, &org.name, &link, links::SETUP_DAYS);
    mailer::queue(write.db(), &mail).await?;
    announce_member(&mut write, organization, user).await?;
    let member = organizations::member(write.db(), organization, user, now).await?.ok_or(Error::NotFound)?;
    write.commit().await?;
    mailer::wake(&state);
    Ok(Json(tandem_protocol::Envelope::ok(member)))
}

/// 409 when `user` is the organization's last administrator.
async fn refuse_last_admin(db: &mut Conn, organization: OrganizationId, user: UserId) -> Result<()> {
    let admins = organizations::admins(&mut *db, organization).await?;
    if admins == [user] {
        return Err(Error::conflict_of(
            ERROR_LAST_ORGANIZATION_ADMIN,
            "This is the organization's last administrator. Make someone else an administrator first.",
            OrganizationDetails { organization_id: organization },
        ));
    }
    Ok(())
}

/// 404 unless `user` is a member of the organization.
async fn require_member(db: &mut Conn, organization: OrganizationId, user: UserId) -> Result<()> {
    if organizations::is_member(db, organization, user).await? {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// The reference's bare answer to removing a member or their role: `{"status_code": 204}`.
fn removed() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status_code": StatusCode::NO_CONTENT.as_u16() }))
}

fn refuse_self(me: UserId, user: UserId) -> Result<()> {
    if me == user {
        return Err(Error::ForbiddenBecause("You cannot remove yourself from the organization".into()));
    }
    Ok(())
}

/// Takes `user` out of the organization inside the write: their relationships there go, and
/// the other side of each and the watchers are told.
async fn take_out(write: &mut PeopleWrite<'_>, organization: OrganizationId, user: UserId) -> Result<()> {
    let db = write.db();
    let partners = relationships::partners_in(&mut *db, organization, user).await?;
    let mut audience = watchers(&mut *db, organization).await?;
    audience.retain(|watcher| *watcher != user);
    relationships::delete_of_member(&mut *db, organization, user).await?;
    if !organizations::remove_member(&mut *db, organization, user).await? {
        return Err(Error::NotFound);
    }
    for (relationship, partner) in partners {
        let mut people = audience.clone();
        people.push(partner);
        let event = RelationshipDeleted { organization_id: organization, coaching_relationship_id: relationship };
        write.emit_to(people, Event::CoachingRelationshipDeleted(event));
    }
    write.emit_to(audience, Event::OrganizationMemberRemoved(MemberRemoved { organization_id: organization, user_id: user }));
    Ok(())
}

/// Deletes a member's account, as the reference does: only someone in this organization alone,
/// never the last administrator, never oneself. Their open pages are signed out.
async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
) -> Result<Json<serde_json::Value>> {
    administered(&state, me.id, organization).await?;
    refuse_self(me.id, user)?;
    let mut write = PeopleWrite::begin(&state).await?;
    require_member(write.db(), organization, user).await?;
    if organizations::count_of_member(write.db(), user).await? > 1 {
        return Err(Error::conflict_of(
            ERROR_USER_IN_SEVERAL_ORGANIZATIONS,
            "This person belongs to several organizations: remove them from this one only (their role), not their account.",
            OrganizationDetails { organization_id: organization },
        ));
    }
    refuse_last_admin(write.db(), organization, user).await?;
    let ended = logins::revoke_all(write.db(), user, Utc::now()).await?;
    take_out(&mut write, organization, user).await?;
    users::delete(write.db(), user).await?;
    write.commit().await?;
    events::force_logout(&state.db, &state.hub, user, ended, "Your account was removed.").await?;
    tracing::info!(%organization, %user, by = %me.id, "member removed with their account");
    Ok(removed())
}

async fn read_role(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
) -> Result<Json<tandem_protocol::Envelope<UserRole>>> {
    administered(&state, me.id, organization).await?;
    let role = organizations::role_of(&state.db, organization, user).await?.ok_or(Error::NotFound)?;
    Ok(Json(tandem_protocol::Envelope::ok(role)))
}

/// Only `User` and `Admin` are roles within an organization.
fn organization_role(role: Role) -> Result<Role> {
    match role {
        Role::User | Role::Admin => Ok(role),
        Role::SuperAdmin => Err(Error::validation("The role must be User or Admin within an organization.")),
    }
}

/// Adds an existing person to the organization with a role (and their coach, when given).
async fn attach(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
    Json(input): Json<RoleGrant>,
) -> Result<Json<tandem_protocol::Envelope<UserRole>>> {
    let org = administered(&state, me.id, organization).await?;
    require_active(&org)?;
    let role = organization_role(input.role)?;
    users::by_id(&state.db, user).await?.ok_or(Error::NotFound)?;
    let now = Utc::now();
    let mut write = PeopleWrite::begin(&state).await?;
    if organizations::is_member(write.db(), organization, user).await? {
        return Err(Error::conflict_of(
            ERROR_USER_ALREADY_IN_ORGANIZATION,
            "This person is already a member of the organization.",
            OrganizationDetails { organization_id: organization },
        ));
    }
    organizations::add_member(write.db(), organization, user, now).await?;
    let granted = organizations::set_role(write.db(), organization, user, role, now).await?;
    if let Some(coach) = input.coach_id {
        pair_in(&mut write, organization, coach, user).await?;
    }
    announce_member(&mut write, organization, user).await?;
    write.commit().await?;
    Ok(Json(tandem_protocol::Envelope::created(granted)))
}

/// Changes a member's role; the last administrator stays one.
async fn change_role(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
    Json(input): Json<RoleChange>,
) -> Result<Json<tandem_protocol::Envelope<UserRole>>> {
    administered(&state, me.id, organization).await?;
    let role = organization_role(input.role)?;
    let mut write = PeopleWrite::begin(&state).await?;
    require_member(write.db(), organization, user).await?;
    if role != Role::Admin {
        refuse_last_admin(write.db(), organization, user).await?;
    }
    let changed = organizations::set_role(write.db(), organization, user, role, Utc::now()).await?;
    announce_member(&mut write, organization, user).await?;
    write.commit().await?;
    Ok(Json(tandem_protocol::Envelope::ok(changed)))
}

/// Takes a member out of the organization, keeping their account.
async fn detach(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((organization, user)): Path<(OrganizationId, UserId)>,
) -> Result<Json<serde_json::Value>> {
    administered(&state, me.id, organization).await?;
    refuse_self(me.id, user)?;
    let mut write = PeopleWrite::begin(&state).await?;
    require_member(write.db(), organization, user).await?;
    refuse_last_admin(write.db(), organization, user).await?;
    take_out(&mut write, organization, user).await?;
    write.commit().await?;
    Ok(removed())
}

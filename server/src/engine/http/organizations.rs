//! `/organizations`: super administrators create, rename, archive and delete them; members
//! read theirs; administrators pair coaches with coachees.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingRelationship, Deleted, Envelope, Event, NewRelationship, Organization, OrganizationDetails,
    OrganizationId, OrganizationInput, OrganizationsQuery, RelationshipCreated,
    ERROR_ORGANIZATION_ARCHIVED, ERROR_ORGANIZATION_NAME_TAKEN, ERROR_ORGANIZATION_NOT_EMPTY,
};

use super::super::dialect;
use super::super::auth::{CurrentUser, Grants};
use super::super::db::{organizations, relationships, users, Conn};
use super::super::state::AppState;
use super::super::write::PeopleWrite;
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organizations", get(list).post(create))
        .route("/organizations/{id}", get(read).put(rename).delete(remove))
        .route("/organizations/{id}/archive", post(archive))
        .route("/organizations/{id}/unarchive", post(unarchive))
        .route("/organizations/{id}/coaching_relationships", get(relationships_of_organization).post(pair))
}

/// Super administrators see every organization; others those they are members of.
async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<OrganizationsQuery>,
) -> Result<Json<Envelope<Vec<Organization>>>> {
    let grants = Grants::of(&state.db, me.id).await?;
    let scope = if grants.is_super_admin() { None } else { Some(me.id) };
    let status = query.status.unwrap_or_default();
    Ok(Json(Envelope::ok(organizations::list(&state.db, status, scope).await?)))
}

/// Members and super administrators read an organization (the reference lets anyone signed
/// in; Tandem keeps others' organizations private).
async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<Envelope<Organization>>> {
    let found = organizations::by_id(&state.db, organization).await?.ok_or(Error::NotFound)?;
    let grants = Grants::of(&state.db, me.id).await?;
    if !grants.is_super_admin() && !organizations::is_member(&state.db, organization, me.id).await? {
        return Err(Error::ForbiddenBecause("You are not authorized to access the organization".into()));
    }
    Ok(Json(Envelope::ok(found)))
}

/// A name as stored: trimmed, 1 to 255 characters, no other organization's.
async fn free_name(db: &mut Conn, name: &str, except: Option<OrganizationId>) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > validate::ORGANIZATION_NAME_MAX {
        return Err(Error::validation(format!(
            "The organization name must have 1 to {} characters.",
            validate::ORGANIZATION_NAME_MAX
        )));
    }
    if organizations::name_taken(&mut *db, name, except).await? {
        return Err(Error::conflict_of(
            ERROR_ORGANIZATION_NAME_TAKEN,
            format!("An organization named {name:?} already exists."),
            serde_json::json!({ "name": name }),
        ));
    }
    Ok(name.to_owned())
}

fn logo(input: &OrganizationInput) -> Result<Option<&str>> {
    validate::text("logo", input.logo.as_deref().map(str::trim).filter(|l| !l.is_empty()), validate::URL_MAX)
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<OrganizationInput>,
) -> Result<Json<Envelope<Organization>>> {
    Grants::of(&state.db, me.id).await?.require_super_admin()?;
    let mut tx = dialect::begin_write(&state.db).await?;
    let name = free_name(&mut tx, &input.name, None).await?;
    let slug = organizations::free_slug(&mut tx, &name, None).await?;
    let created = organizations::create(&mut tx, &name, logo(&input)?, &slug, Utc::now()).await?;
    tx.commit().await?;
    tracing::info!(organization = %created.id, by = %me.id, "organization created");
    Ok(Json(Envelope::created(created)))
}

async fn rename(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
    Json(input): Json<OrganizationInput>,
) -> Result<Json<Envelope<Organization>>> {
    Grants::of(&state.db, me.id).await?.require_super_admin()?;
    let mut tx = dialect::begin_write(&state.db).await?;
    if organizations::by_id(&mut *tx, organization).await?.is_none() {
        return Err(Error::NotFound);
    }
    let name = free_name(&mut tx, &input.name, Some(organization)).await?;
    let slug = organizations::free_slug(&mut tx, &name, Some(organization)).await?;
    let renamed = organizations::rename(&mut *tx, organization, &name, logo(&input)?, &slug, Utc::now())
        .await?
        .ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(Json(Envelope::ok(renamed)))
}

/// Deletes an organization that holds nothing (no members, relationships or sessions).
async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<Deleted<OrganizationId>>> {
    Grants::of(&state.db, me.id).await?.require_super_admin()?;
    let mut tx = dialect::begin_write(&state.db).await?;
    if organizations::by_id(&mut *tx, organization).await?.is_none() {
        return Err(Error::NotFound);
    }
    let contents = organizations::contents(&mut *tx, organization).await?;
    if contents.member_count > 0 || contents.coaching_relationship_count > 0 || contents.coaching_session_count > 0 {
        return Err(Error::conflict_of(
            ERROR_ORGANIZATION_NOT_EMPTY,
            "This organization still has members or coaching relationships. Archive it instead, or remove them first.",
            contents,
        ));
    }
    organizations::delete(&mut *tx, organization).await?;
    tx.commit().await?;
    tracing::info!(%organization, by = %me.id, "organization deleted");
    Ok(Json(Deleted { id: organization }))
}

async fn archive(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<Envelope<Organization>>> {
    set_archived(&state, &me, organization, true).await
}

async fn unarchive(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<Envelope<Organization>>> {
    set_archived(&state, &me, organization, false).await
}

async fn set_archived(
    state: &AppState,
    me: &CurrentUser,
    organization: OrganizationId,
    archived: bool,
) -> Result<Json<Envelope<Organization>>> {
    Grants::of(&state.db, me.id).await?.require_super_admin()?;
    let by = archived.then_some(me.id);
    let changed = organizations::set_archived(&state.db, organization, by, Utc::now()).await?.ok_or(Error::NotFound)?;
    Ok(Json(Envelope::ok(changed)))
}

/// 409 when the organization is archived: nothing joins an archived organization.
pub fn require_active(organization: &Organization) -> Result<()> {
    if organization.archived_at.is_some() {
        return Err(Error::conflict_of(
            ERROR_ORGANIZATION_ARCHIVED,
            "This organization is archived. Unarchive it first.",
            OrganizationDetails { organization_id: organization.id },
        ));
    }
    Ok(())
}

/// Members see the relationships they take part in; administrators of the organization (and
/// super administrators) see them all.
async fn relationships_of_organization(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
) -> Result<Json<Envelope<Vec<CoachingRelationship>>>> {
    if !organizations::exists(&state.db, organization).await? {
        return Err(Error::NotFound);
    }
    let grants = Grants::of(&state.db, me.id).await?;
    if !grants.is_super_admin() && !organizations::is_member(&state.db, organization, me.id).await? {
        return Err(Error::Forbidden);
    }
    let participant = if grants.administers(organization) { None } else { Some(me.id) };
    let list = relationships::of_organization(&state.db, organization, participant).await?;
    Ok(Json(Envelope::ok(list)))
}

/// Pairs a coach with a coachee of the organization; an existing pair is answered as is.
async fn pair(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(organization): Path<OrganizationId>,
    Json(input): Json<NewRelationship>,
) -> Result<Json<Envelope<CoachingRelationship>>> {
    let found = organizations::by_id(&state.db, organization).await?.ok_or(Error::NotFound)?;
    Grants::of(&state.db, me.id).await?.require_admin_of(organization)?;
    require_active(&found)?;
    let mut write = PeopleWrite::begin(&state).await?;
    let relationship = pair_in(&mut write, organization, input.coach_id, input.coachee_id).await?;
    write.commit().await?;
    Ok(Json(Envelope::created(relationship)))
}

/// Makes (or finds) the relationship of `coach` and `coachee` in `organization` inside a
/// write, telling both people and the organization's administrators when it is new.
pub async fn pair_in(
    write: &mut PeopleWrite<'_>,
    organization: OrganizationId,
    coach: tandem_protocol::UserId,
    coachee: tandem_protocol::UserId,
) -> Result<CoachingRelationship> {
    if coach == coachee {
        return Err(Error::Conflict { message: "A user cannot be their own coach.".into(), details: None });
    }
    let db = write.db();
    let both_members = organizations::is_member(&mut *db, organization, coach).await?
        && organizations::is_member(&mut *db, organization, coachee).await?;
    if !both_members {
        return Err(Error::Conflict {
            message: "Coach and coachee must belong to the specified organization.".into(),
            details: None,
        });
    }
    if let Some(existing) = relationships::find(&mut *db, organization, coach, coachee).await? {
        return relationships::with_names(&mut *db, existing).await?.ok_or(Error::NotFound);
    }
    let id = relationships::insert(&mut *db, organization, coach, coachee, Utc::now()).await?;
    let relationship = relationships::with_names(&mut *db, id).await?.ok_or(Error::NotFound)?;
    let mut audience = organizations::admins(&mut *db, organization).await?;
    audience.extend(users::super_admins(&mut *db).await?);
    audience.extend([coach, coachee]);
    let event = RelationshipCreated { organization_id: organization, coaching_relationship: relationship.clone() };
    write.emit_to(audience, Event::CoachingRelationshipCreated(event));
    Ok(relationship)
}

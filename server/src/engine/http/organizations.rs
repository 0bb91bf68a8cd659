//! `GET /organizations/{id}/coaching_relationships`.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use tandem_protocol::{CoachingRelationship, Envelope, OrganizationId, Role};

use super::super::auth::CurrentUser;
use super::super::db::{organizations, relationships, users};
use super::super::state::AppState;
use super::{Json, Path};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/organizations/{id}/coaching_relationships", get(relationships_of_organization))
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
    if !organizations::is_member(&state.db, organization, me.id).await? {
        return Err(Error::Forbidden);
    }
    let roles = users::roles(&state.db, me.id).await?;
    let sees_all = roles.iter().any(|grant| {
        grant.role == Role::SuperAdmin || (grant.role == Role::Admin && grant.organization_id == Some(organization))
    });
    let participant = if sees_all { None } else { Some(me.id) };
    let list = relationships::of_organization(&state.db, organization, participant).await?;
    Ok(Json(Envelope::ok(list)))
}

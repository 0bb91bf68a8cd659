//! Writes of organizations (SuperAdmin), their members and their coaching relationships
//! (organization Admin), as the reference's sections 3.2 and 3.3.

use gloo::net::http::Method;
use tandem_protocol::{
    CoachingRelationship, NewMember, NewRelationship, Organization, OrganizationId, OrganizationInput, Role,
    RoleChange, User, UserId,
};

use super::client::{ack, enveloped, write, Body, Call};
use super::ApiError;

/// The body the reference's web app posts where a route reads none.
fn empty() -> Body {
    Body::Json("{}".to_owned())
}

/// Creates an organization.
pub async fn create(input: &OrganizationInput) -> Result<Organization, ApiError> {
    write(Method::POST, "/organizations", input).await
}

/// Renames an organization.
pub async fn rename(id: OrganizationId, input: &OrganizationInput) -> Result<Organization, ApiError> {
    write(Method::PUT, &format!("/organizations/{id}"), input).await
}

/// Archives (`true`) or unarchives an organization.
pub async fn archive(id: OrganizationId, archived: bool) -> Result<Organization, ApiError> {
    let verb = if archived { "archive" } else { "unarchive" };
    enveloped(Method::POST, &format!("/organizations/{id}/{verb}"), empty()).await
}

/// Deletes an empty organization.
pub async fn delete(id: OrganizationId) -> Result<(), ApiError> {
    ack(Method::DELETE, &format!("/organizations/{id}"), Body::None, Call::JSON).await
}

/// Adds a member (and invites them); with `coach_id`, pairs them with that coach too.
pub async fn add_member(organization: OrganizationId, input: &NewMember) -> Result<User, ApiError> {
    write(Method::POST, &format!("/organizations/{organization}/users"), input).await
}

/// Sends a member a fresh invitation (the earlier link stops working).
pub async fn resend_invitation(organization: OrganizationId, user: UserId) -> Result<(), ApiError> {
    ack(Method::POST, &format!("/organizations/{organization}/users/{user}/resend-invite"), empty(), Call::JSON).await
}

/// Makes a member a User or an Admin of the organization.
pub async fn change_role(organization: OrganizationId, user: UserId, role: Role) -> Result<(), ApiError> {
    let body = Body::json(&RoleChange { role })?;
    ack(Method::PUT, &format!("/organizations/{organization}/users/{user}/role"), body, Call::JSON).await
}

/// Removes a member: deletes their account.
pub async fn remove_member(organization: OrganizationId, user: UserId) -> Result<(), ApiError> {
    ack(Method::DELETE, &format!("/organizations/{organization}/users/{user}"), Body::None, Call::JSON).await
}

/// Pairs a coach with a coachee (the existing relationship when they already are).
pub async fn pair(organization: OrganizationId, input: &NewRelationship) -> Result<CoachingRelationship, ApiError> {
    write(Method::POST, &format!("/organizations/{organization}/coaching_relationships"), input).await
}

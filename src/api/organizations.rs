//! `/organizations/{id}/…`.

use tandem_protocol::{CoachingRelationship, OrganizationId};

use super::client::get;
use super::ApiError;

/// The coaching relationships of an organization that the person may see.
pub async fn relationships(id: OrganizationId) -> Result<Vec<CoachingRelationship>, ApiError> {
    get(&format!("/organizations/{id}/coaching_relationships")).await
}

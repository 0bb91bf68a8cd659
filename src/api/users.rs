//! `/users/{id}`.

use tandem_protocol::{Organization, User, UserId};

use super::client::get;
use super::ApiError;

/// The signed-in person's own record.
pub async fn user(id: UserId) -> Result<User, ApiError> {
    get(&format!("/users/{id}")).await
}

/// The organizations the person belongs to.
pub async fn organizations(id: UserId) -> Result<Vec<Organization>, ApiError> {
    get(&format!("/users/{id}/organizations")).await
}

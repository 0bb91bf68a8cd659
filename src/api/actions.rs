//! Writes of actions.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{Action, ActionId, ActionInput, Deleted};

use super::client::{bare, write, write_based_on};
use super::ApiError;

/// Creates an action.
pub async fn create(input: &ActionInput) -> Result<Action, ApiError> {
    write(Method::POST, "/actions", input).await
}

/// Replaces an action, as it was at `based_on` (its `updated_at` when editing began).
pub async fn update(id: ActionId, input: &ActionInput, based_on: DateTime<Utc>) -> Result<Action, ApiError> {
    write_based_on(Method::PUT, &format!("/actions/{id}"), input, based_on).await
}

/// Deletes an action.
pub async fn delete(id: ActionId) -> Result<ActionId, ApiError> {
    bare::<Deleted<ActionId>>(Method::DELETE, &format!("/actions/{id}")).await.map(|d| d.id)
}

//! Writes of actions.

use gloo::net::http::Method;
use tandem_protocol::{Action, ActionId, ActionInput, Deleted};

use super::client::{bare, write};
use super::ApiError;

/// Creates an action.
pub async fn create(input: &ActionInput) -> Result<Action, ApiError> {
    write(Method::POST, "/actions", input).await
}

/// Replaces an action.
pub async fn update(id: ActionId, input: &ActionInput) -> Result<Action, ApiError> {
    write(Method::PUT, &format!("/actions/{id}"), input).await
}

/// Deletes an action.
pub async fn delete(id: ActionId) -> Result<ActionId, ApiError> {
    bare::<Deleted<ActionId>>(Method::DELETE, &format!("/actions/{id}")).await.map(|d| d.id)
}

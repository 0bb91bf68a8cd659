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

/// Undoes the delete of `action`: the same id back with its assignees [extension]; where the
/// server has no such route (the reference backend), a new action from the deleted one.
pub async fn restore(action: Action) -> Result<Action, ApiError> {
    let path = format!("/actions/{}/restore", action.id);
    match super::client::enveloped(Method::POST, &path, super::client::Body::None).await {
        Err(error) if error.is_missing_route() => {
            let input = ActionInput {
                coaching_session_id: action.coaching_session_id,
                status: action.status,
                body: action.body,
                due_by: action.due_by,
                goal_id: action.goal_id,
                assignee_ids: Some(action.assignee_ids),
            };
            create(&input).await
        }
        answer => answer,
    }
}

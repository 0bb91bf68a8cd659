//! Writes of goals and of their links to sessions.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{
    CoachingSessionGoal, CoachingSessionId, Deleted, Goal, GoalId, GoalInput, LinkGoal, UnlinkedGoal,
};

use super::client::{bare, write, write_based_on};
use super::ApiError;
use crate::domain::goals::goal_input;

/// Creates a goal.
pub async fn create(input: &GoalInput) -> Result<Goal, ApiError> {
    write(Method::POST, "/goals", input).await
}

/// Replaces a goal, as it was at `based_on` (its `updated_at` when editing began).
pub async fn update(id: GoalId, input: &GoalInput, based_on: DateTime<Utc>) -> Result<Goal, ApiError> {
    write_based_on(Method::PUT, &format!("/goals/{id}"), input, based_on).await
}

/// Deletes a goal.
pub async fn delete(id: GoalId) -> Result<GoalId, ApiError> {
    bare::<Deleted<GoalId>>(Method::DELETE, &format!("/goals/{id}")).await.map(|d| d.id)
}

/// Links a goal to a session (a goal not started or on hold goes in progress).
pub async fn link(session: CoachingSessionId, goal: GoalId) -> Result<CoachingSessionGoal, ApiError> {
    write(Method::POST, &format!("/coaching_sessions/{session}/goals"), &LinkGoal { goal_id: goal }).await
}

/// Unlinks a goal from a session.
pub async fn unlink(session: CoachingSessionId, goal: GoalId) -> Result<GoalId, ApiError> {
    bare::<UnlinkedGoal>(Method::DELETE, &format!("/coaching_sessions/{session}/goals/{goal}")).await.map(|u| u.goal_id)
}

/// Undoes the delete of `goal`: the same id back with its links [extension]; where the server
/// has no such route (the reference backend), a new goal from the deleted one (unlinked).
pub async fn restore(goal: Goal) -> Result<Goal, ApiError> {
    let path = format!("/goals/{}/restore", goal.id);
    match super::client::enveloped(Method::POST, &path, super::client::Body::None).await {
        Err(error) if error.is_missing_route() => create(&goal_input(&goal, goal.status)).await,
        answer => answer,
    }
}

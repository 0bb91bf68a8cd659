//! Writes of goals and of their links to sessions.

use gloo::net::http::Method;
use tandem_protocol::{
    CoachingSessionGoal, CoachingSessionId, Deleted, Goal, GoalId, GoalInput, LinkGoal, UnlinkedGoal,
};

use super::client::{bare, write};
use super::ApiError;

/// Creates a goal.
pub async fn create(input: &GoalInput) -> Result<Goal, ApiError> {
    write(Method::POST, "/goals", input).await
}

/// Replaces a goal.
pub async fn update(id: GoalId, input: &GoalInput) -> Result<Goal, ApiError> {
    write(Method::PUT, &format!("/goals/{id}"), input).await
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

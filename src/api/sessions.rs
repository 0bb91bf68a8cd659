//! Writes of coaching sessions.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{
    CoachingSession, CoachingSessionId, MarkViewed, NewCoachingSession, TitleUpdate, UpdateCoachingSession,
};

use super::client::{ack, write, write_based_on, Body, Call};
use super::ApiError;

/// Schedules a session.
pub async fn create(input: &NewCoachingSession) -> Result<CoachingSession, ApiError> {
    write(Method::POST, "/coaching_sessions", input).await
}

/// Reschedules a session (coach only). The server answers no data.
pub async fn update(id: CoachingSessionId, input: &UpdateCoachingSession) -> Result<(), ApiError> {
    ack(Method::PUT, &format!("/coaching_sessions/{id}"), Body::json(input)?, Call::JSON).await
}

/// Deletes a session (coach only).
pub async fn delete(id: CoachingSessionId) -> Result<(), ApiError> {
    ack(Method::DELETE, &format!("/coaching_sessions/{id}"), Body::None, Call::JSON).await
}

/// Sets or clears the title, as the session was at `based_on` (when editing began).
pub async fn retitle(
    id: CoachingSessionId,
    title: Option<String>,
    based_on: DateTime<Utc>,
) -> Result<CoachingSession, ApiError> {
    write_based_on(Method::PATCH, &format!("/coaching_sessions/{id}/title"), &TitleUpdate { title }, based_on).await
}

/// Records that the signed-in person opened the session now (`POST /coaching_sessions/{id}/view`):
/// when they had opened it before, and [extension] what the other person changed since.
pub async fn mark_viewed(id: CoachingSessionId) -> Result<MarkViewed, ApiError> {
    super::client::enveloped(Method::POST, &format!("/coaching_sessions/{id}/view"), Body::None).await
}

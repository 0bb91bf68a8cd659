//! Writes of coaching sessions.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{CoachingSession, CoachingSessionId, NewCoachingSession, TitleUpdate, UpdateCoachingSession};

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

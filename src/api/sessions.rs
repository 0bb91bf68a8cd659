//! Writes of coaching sessions.

use gloo::net::http::Method;
use tandem_protocol::{CoachingSession, CoachingSessionId, NewCoachingSession, TitleUpdate, UpdateCoachingSession};

use super::client::{enveloped, write, Body};
use super::ApiError;

/// Schedules a session.
pub async fn create(input: &NewCoachingSession) -> Result<CoachingSession, ApiError> {
    write(Method::POST, "/coaching_sessions", input).await
}

/// Reschedules a session (coach only). The server answers no data.
pub async fn update(id: CoachingSessionId, input: &UpdateCoachingSession) -> Result<(), ApiError> {
    enveloped::<Option<()>>(Method::PUT, &format!("/coaching_sessions/{id}"), Body::json(input)?).await.map(drop)
}

/// Deletes a session (coach only).
pub async fn delete(id: CoachingSessionId) -> Result<(), ApiError> {
    enveloped::<Option<()>>(Method::DELETE, &format!("/coaching_sessions/{id}"), Body::None).await.map(drop)
}

/// Sets or clears the title.
pub async fn retitle(id: CoachingSessionId, title: Option<String>) -> Result<CoachingSession, ApiError> {
    write(Method::PATCH, &format!("/coaching_sessions/{id}/title"), &TitleUpdate { title }).await
}

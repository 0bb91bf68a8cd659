//! Writes of a session's agenda (`/coaching_sessions/{id}/topics…`, the reference's routes).
//! Edits of one topic send the version they started from (`If-Match`), as other entities do.

use chrono::{DateTime, Utc};
use gloo::net::http::Method;
use tandem_protocol::{
    CoachingSessionId, NewTopic, Topic, TopicEdit, TopicId, TopicPriority, TopicRating, TopicStatus, TopicStatusChange,
    TopicsReorder,
};

use super::client::{enveloped, write, write_based_on, Body};
use super::ApiError;

fn path(session: CoachingSessionId, topic: TopicId, tail: &str) -> String {
    format!("/coaching_sessions/{session}/topics/{topic}{tail}")
}

/// Adds a topic at the end of the agenda.
pub async fn create(session: CoachingSessionId, body: String) -> Result<Topic, ApiError> {
    write(Method::POST, &format!("/coaching_sessions/{session}/topics"), &NewTopic { body, priority: None }).await
}

/// Changes a topic's text, as it was at `based_on`.
pub async fn update(topic: &Topic, body: String, based_on: DateTime<Utc>) -> Result<Topic, ApiError> {
    let at = path(topic.coaching_session_id, topic.id, "");
    write_based_on(Method::PUT, &at, &TopicEdit { body }, based_on).await
}

/// Sets or clears the priority (the coachee only).
pub async fn rate(topic: &Topic, priority: Option<TopicPriority>) -> Result<Topic, ApiError> {
    let at = path(topic.coaching_session_id, topic.id, "/rating");
    write_based_on(Method::PATCH, &at, &TopicRating { priority }, topic.updated_at).await
}

/// Sets the status; `Deferred` answers the topic as it now is on the next session.
pub async fn set_status(topic: &Topic, status: TopicStatus) -> Result<Topic, ApiError> {
    let at = path(topic.coaching_session_id, topic.id, "/status");
    write_based_on(Method::PATCH, &at, &TopicStatusChange { status }, topic.updated_at).await
}

/// Deletes a topic (the server keeps it a day for undo); answers it as it was.
pub async fn delete(session: CoachingSessionId, id: TopicId) -> Result<Topic, ApiError> {
    enveloped(Method::DELETE, &path(session, id, ""), Body::None).await
}

/// Undoes a delete or a deferral of the topic now on `session`; answers it where it is back.
pub async fn undo(session: CoachingSessionId, id: TopicId) -> Result<Topic, ApiError> {
    enveloped(Method::POST, &path(session, id, "/undo"), Body::None).await
}

/// Puts every topic of the session in this order.
pub async fn reorder(session: CoachingSessionId, ordered_ids: Vec<TopicId>) -> Result<Vec<Topic>, ApiError> {
    write(Method::PATCH, &format!("/coaching_sessions/{session}/topics/reorder"), &TopicsReorder { ordered_ids }).await
}

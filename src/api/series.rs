//! Writes of recurring series of sessions (`/coaching_session_series`, coach only).

use gloo::net::http::Method;
use tandem_protocol::{CoachingSessionSeriesId, NewSeries, SeriesUpdate, SeriesWithSessions};

use super::client::{ack, get, write, Body, Call};
use super::ApiError;

/// Schedules a series: the answer holds its sessions, earliest first.
pub async fn create(input: &NewSeries) -> Result<SeriesWithSessions, ApiError> {
    write(Method::POST, "/coaching_session_series", input).await
}

/// The series and all its sessions (read when the coach reschedules it, for its rule).
pub async fn read(id: CoachingSessionSeriesId) -> Result<SeriesWithSessions, ApiError> {
    get(&format!("/coaching_session_series/{id}")).await
}

/// Moves the series' sessions still to come to a new schedule.
pub async fn reschedule(id: CoachingSessionSeriesId, input: &SeriesUpdate) -> Result<SeriesWithSessions, ApiError> {
    write(Method::PUT, &format!("/coaching_session_series/{id}"), input).await
}

/// Deletes the series' sessions still to come (past ones stay).
pub async fn delete(id: CoachingSessionSeriesId) -> Result<(), ApiError> {
    ack(Method::DELETE, &format!("/coaching_session_series/{id}"), Body::None, Call::JSON).await
}

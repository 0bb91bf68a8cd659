//! Coaching sessions.

use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{CoachingRelationshipId, CoachingSession, CoachingSessionId, Provider};

use super::new_id;
use super::row::{id, opt_id, opt_wire, wire_text};

/// The fields a person sets on a session.
pub struct SessionFields<'a> {
    pub date: NaiveDateTime,
    pub duration_minutes: i32,
    pub title: Option<&'a str>,
    pub meeting_url: Option<&'a str>,
    pub provider: Option<Provider>,
}

pub fn from_row(row: &SqliteRow) -> Result<CoachingSession, sqlx::Error> {
    Ok(CoachingSession {
        id: id(row, "id")?,
        coaching_relationship_id: id(row, "coaching_relationship_id")?,
        coaching_session_series_id: opt_id(row, "coaching_session_series_id")?,
        ical_sequence: row.try_get("ical_sequence")?,
        ical_recurrence_id: row.try_get("ical_recurrence_id")?,
        collab_document_name: row.try_get("collab_document_name")?,
        date: row.try_get("date")?,
        duration_minutes: row.try_get("duration_minutes")?,
        title: row.try_get("title")?,
        meeting_url: row.try_get("meeting_url")?,
        provider: opt_wire(row, "provider")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        hydrated_at: row.try_get("hydrated_at")?,
        notice_given_at: row.try_get("notice_given_at")?,
        display_title: None,
    })
}

/// One session.
pub async fn by_id(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
) -> Result<Option<CoachingSession>, sqlx::Error> {
    sqlx::query("SELECT * FROM coaching_sessions WHERE id = ?")
        .bind(session.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Creates a session.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    relationship: CoachingRelationshipId,
    fields: &SessionFields<'_>,
    now: DateTime<Utc>,
) -> Result<CoachingSessionId, sqlx::Error> {
    let session: CoachingSessionId = new_id();
    sqlx::query(
        "INSERT INTO coaching_sessions (id, coaching_relationship_id, date, duration_minutes, title, meeting_url,
            provider, created_at, updated_at, notice_given_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(session.to_string())
    .bind(relationship.to_string())
    .bind(fields.date)
    .bind(fields.duration_minutes)
    .bind(fields.title)
    .bind(fields.meeting_url)
    .bind(fields.provider.as_ref().map(wire_text))
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(session)
}

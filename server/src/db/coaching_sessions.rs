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

/// Sessions of a relationship whose date falls on `from..=to` (whole days, UTC), with their
/// `display_title`.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    relationship: CoachingRelationshipId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    descending: bool,
) -> Result<Vec<CoachingSession>, sqlx::Error> {
    let start = from.and_time(chrono::NaiveTime::MIN);
    let end = to.succ_opt().unwrap_or(to).and_time(chrono::NaiveTime::MIN);
    let order = if descending { "DESC" } else { "ASC" };
    let rows = sqlx::query(&format!(
        "SELECT s.*, coach.first_name AS coach_first_name, coachee.first_name AS coachee_first_name
         FROM coaching_sessions s
         JOIN coaching_relationships r ON r.id = s.coaching_relationship_id
         JOIN users coach ON coach.id = r.coach_id
         JOIN users coachee ON coachee.id = r.coachee_id
         WHERE s.coaching_relationship_id = ? AND s.date >= ? AND s.date < ?
         ORDER BY s.date {order}, s.created_at {order}
         LIMIT {}",
        super::LIST_MAX
    ))
    .bind(relationship.to_string())
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let mut session = from_row(row)?;
            let coach: String = row.try_get("coach_first_name")?;
            let coachee: String = row.try_get("coachee_first_name")?;
            session.display_title = Some(match session.title.as_deref().map(str::trim) {
                Some(title) if !title.is_empty() => title.to_owned(),
                _ => format!("{coach} <> {coachee}"),
            });
            Ok(session)
        })
        .collect()
}

/// Replaces the fields a coach sets; bumps the iCal sequence. Returns whether it existed.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    fields: &SessionFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE coaching_sessions SET date = ?, duration_minutes = ?, title = ?, meeting_url = ?, provider = ?,
            ical_sequence = ical_sequence + 1, updated_at = ?
         WHERE id = ?",
    )
    .bind(fields.date)
    .bind(fields.duration_minutes)
    .bind(fields.title)
    .bind(fields.meeting_url)
    .bind(fields.provider.as_ref().map(wire_text))
    .bind(now)
    .bind(session.to_string())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets or clears the title.
pub async fn update_title(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    title: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE coaching_sessions SET title = ?, updated_at = ? WHERE id = ?")
        .bind(title)
        .bind(now)
        .bind(session.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a session and, by cascade, its actions, agreements, notes and goal links.
pub async fn delete(db: impl SqliteExecutor<'_>, session: CoachingSessionId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM coaching_sessions WHERE id = ?").bind(session.to_string()).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

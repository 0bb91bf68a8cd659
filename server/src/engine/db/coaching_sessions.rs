//! Coaching sessions.

use chrono::{DateTime, NaiveDateTime, Utc};
use tandem_protocol::{CoachingRelationshipId, CoachingSession, CoachingSessionId, CoachingSessionSeriesId, Provider};

use super::{count_where, new_id, refused_update, Conn, Db, Edit, Updated, LIST_MAX};

/// The fields a person sets on a session.
pub struct SessionFields<'a> {
    pub date: NaiveDateTime,
    pub duration_minutes: i32,
    pub title: Option<&'a str>,
    pub meeting_url: Option<&'a str>,
    pub provider: Option<Provider>,
}

/// A session as stored: the wire type less the `display_title` that list routes derive.
#[derive(sqlx::FromRow)]
struct SessionRow {
    id: CoachingSessionId,
    coaching_relationship_id: CoachingRelationshipId,
    coaching_session_series_id: Option<CoachingSessionSeriesId>,
    ical_sequence: i32,
    ical_recurrence_id: Option<String>,
    collab_document_name: Option<String>,
    date: NaiveDateTime,
    duration_minutes: i32,
    title: Option<String>,
    meeting_url: Option<String>,
    provider: Option<Provider>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    hydrated_at: Option<DateTime<Utc>>,
    notice_given_at: DateTime<Utc>,
}

impl SessionRow {
    fn into_session(self, display_title: Option<String>) -> CoachingSession {
        CoachingSession {
            id: self.id,
            coaching_relationship_id: self.coaching_relationship_id,
            coaching_session_series_id: self.coaching_session_series_id,
            ical_sequence: self.ical_sequence,
            ical_recurrence_id: self.ical_recurrence_id,
            collab_document_name: self.collab_document_name,
            date: self.date,
            duration_minutes: self.duration_minutes,
            title: self.title,
            meeting_url: self.meeting_url,
            provider: self.provider,
            created_at: self.created_at,
            updated_at: self.updated_at,
            hydrated_at: self.hydrated_at,
            notice_given_at: self.notice_given_at,
            display_title,
        }
    }
}

/// One session.
pub async fn by_id(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Option<CoachingSession>, sqlx::Error> {
    let row: Option<SessionRow> =
        sqlx::query_as("SELECT * FROM coaching_sessions WHERE id = $1").bind(session).fetch_optional(db).await?;
    Ok(row.map(|row| row.into_session(None)))
}

/// Creates a session.
pub async fn insert(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
    fields: &SessionFields<'_>,
    now: DateTime<Utc>,
) -> Result<CoachingSessionId, sqlx::Error> {
    let session: CoachingSessionId = new_id();
    sqlx::query(
        "INSERT INTO coaching_sessions (id, coaching_relationship_id, date, duration_minutes, title, meeting_url,
            provider, created_at, updated_at, notice_given_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)",
    )
    .bind(session)
    .bind(relationship)
    .bind(fields.date)
    .bind(fields.duration_minutes)
    .bind(fields.title)
    .bind(fields.meeting_url)
    .bind(fields.provider)
    .bind(now)
    .execute(db)
    .await?;
    Ok(session)
}

/// A listed session with the first names its `display_title` falls back on.
#[derive(sqlx::FromRow)]
struct Listed {
    #[sqlx(flatten)]
    session: SessionRow,
    coach_first_name: String,
    coachee_first_name: String,
}

/// Sessions of a relationship whose date falls on `from..=to` (whole days, UTC), with their
/// `display_title`.
pub async fn list(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    descending: bool,
) -> Result<Vec<CoachingSession>, sqlx::Error> {
    let start = from.and_time(chrono::NaiveTime::MIN);
    let end = to.succ_opt().unwrap_or(to).and_time(chrono::NaiveTime::MIN);
    let order = if descending { "DESC" } else { "ASC" };
    let rows: Vec<Listed> = sqlx::query_as(&format!(
        "SELECT s.*, coach.first_name AS coach_first_name, coachee.first_name AS coachee_first_name
         FROM coaching_sessions s
         JOIN coaching_relationships r ON r.id = s.coaching_relationship_id
         JOIN users coach ON coach.id = r.coach_id
         JOIN users coachee ON coachee.id = r.coachee_id
         WHERE s.coaching_relationship_id = $1 AND s.date >= $2 AND s.date < $3
         ORDER BY s.date {order}, s.created_at {order}
         LIMIT {LIST_MAX}"
    ))
    .bind(relationship)
    .bind(start)
    .bind(end)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|Listed { session, coach_first_name, coachee_first_name }| {
            let display_title = match session.title.as_deref().map(str::trim) {
                Some(title) if !title.is_empty() => title.to_owned(),
                _ => format!("{coach_first_name} <> {coachee_first_name}"),
            };
            session.into_session(Some(display_title))
        })
        .collect())
}

/// Replaces the fields a coach sets; bumps the iCal sequence. Returns whether it existed.
pub async fn update(
    db: &mut Conn,
    session: CoachingSessionId,
    fields: &SessionFields<'_>,
    edit: Edit,
) -> Result<Updated, sqlx::Error> {
    let sql = format!(
        "UPDATE coaching_sessions SET date = $1, duration_minutes = $2, title = $3, meeting_url = $4, provider = $5,
            ical_sequence = ical_sequence + 1, updated_at = $6, updated_by = $7
         WHERE id = $8{}",
        edit.version_clause(9)
    );
    let query = sqlx::query(&sql)
        .bind(fields.date)
        .bind(fields.duration_minutes)
        .bind(fields.title)
        .bind(fields.meeting_url)
        .bind(fields.provider)
        .bind(edit.at)
        .bind(edit.by)
        .bind(session);
    let done = edit.bind_version(query).execute(&mut *db).await?;
    refused_update(db, "coaching_sessions", EDITOR, session, done.rows_affected()).await
}

/// Sets or clears the title.
pub async fn update_title(
    db: &mut Conn,
    session: CoachingSessionId,
    title: Option<&str>,
    edit: Edit,
) -> Result<Updated, sqlx::Error> {
    let sql = format!(
        "UPDATE coaching_sessions SET title = $1, updated_at = $2, updated_by = $3 WHERE id = $4{}",
        edit.version_clause(5)
    );
    let query = sqlx::query(&sql).bind(title).bind(edit.at).bind(edit.by).bind(session);
    let done = edit.bind_version(query).execute(&mut *db).await?;
    refused_update(db, "coaching_sessions", EDITOR, session, done.rows_affected()).await
}

/// How many sessions a relationship holds (for its quota).
pub async fn count_in_relationship(db: &mut Conn, relationship: CoachingRelationshipId) -> Result<usize, sqlx::Error> {
    count_where(db, "coaching_sessions", "coaching_relationship_id", relationship).await
}

/// Who changed a session last (sessions record no author; the coach made it).
const EDITOR: &str = "updated_by";

/// Deletes a session and, by cascade, its actions, agreements, notes and goal links.
pub async fn delete(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM coaching_sessions WHERE id = $1").bind(session).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

//! Recurring series of sessions. The rule is stored as its JSON; the sessions are ordinary
//! rows that name the series.

use chrono::{DateTime, NaiveDateTime, Utc};
use tandem_protocol::{
    CoachingRelationshipId, CoachingSession, CoachingSessionId, CoachingSessionSeries, CoachingSessionSeriesId,
    Recurrence, UserId,
};

use super::coaching_sessions::{self, SessionFields};
use super::{new_id, Conn};

#[derive(sqlx::FromRow)]
struct SeriesRow {
    id: CoachingSessionSeriesId,
    coaching_relationship_id: CoachingRelationshipId,
    rule: String,
    start_at: NaiveDateTime,
    duration_minutes: i32,
    ical_sequence: i32,
    created_by_user_id: UserId,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl SeriesRow {
    fn into_series(self) -> Result<CoachingSessionSeries, sqlx::Error> {
        let rule: Recurrence = serde_json::from_str(&self.rule).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
        Ok(CoachingSessionSeries {
            id: self.id,
            coaching_relationship_id: self.coaching_relationship_id,
            rule,
            start_at: self.start_at,
            duration_minutes: self.duration_minutes,
            ical_sequence: self.ical_sequence,
            created_by_user_id: self.created_by_user_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

fn rule_json(rule: &Recurrence) -> Result<String, sqlx::Error> {
    serde_json::to_string(rule).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Creates a series (its sessions are added one by one with [`add_session`]).
pub async fn insert(
    db: &mut Conn,
    relationship: CoachingRelationshipId,
    (start_at, rule, duration_minutes): (NaiveDateTime, &Recurrence, i32),
    by: UserId,
    now: DateTime<Utc>,
) -> Result<CoachingSessionSeriesId, sqlx::Error> {
    let id: CoachingSessionSeriesId = new_id();
    sqlx::query(
        "INSERT INTO coaching_session_series (id, coaching_relationship_id, rule, start_at, duration_minutes,
            created_by_user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id)
    .bind(relationship)
    .bind(rule_json(rule)?)
    .bind(start_at)
    .bind(duration_minutes)
    .bind(by)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// One series.
pub async fn by_id(db: &mut Conn, id: CoachingSessionSeriesId) -> Result<Option<CoachingSessionSeries>, sqlx::Error> {
    let row: Option<SeriesRow> =
        sqlx::query_as("SELECT * FROM coaching_session_series WHERE id = $1").bind(id).fetch_optional(db).await?;
    row.map(SeriesRow::into_series).transpose()
}

/// The series of a relationship, oldest first.
pub async fn of_relationship(
    db: &mut Conn,
    relationship: CoachingRelationshipId,
) -> Result<Vec<CoachingSessionSeries>, sqlx::Error> {
    let rows: Vec<SeriesRow> =
        sqlx::query_as("SELECT * FROM coaching_session_series WHERE coaching_relationship_id = $1 ORDER BY created_at, id")
            .bind(relationship)
            .fetch_all(db)
            .await?;
    rows.into_iter().map(SeriesRow::into_series).collect()
}

/// Replaces the rule of a series; raises its calendar sequence.
pub async fn update(
    db: &mut Conn,
    id: CoachingSessionSeriesId,
    (start_at, rule, duration_minutes): (NaiveDateTime, &Recurrence, i32),
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coaching_session_series SET rule = $1, start_at = $2, duration_minutes = $3,
            ical_sequence = ical_sequence + 1, updated_at = $4 WHERE id = $5",
    )
    .bind(rule_json(rule)?)
    .bind(start_at)
    .bind(duration_minutes)
    .bind(now)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Adds one of the series' sessions (remembering the start the rule gave it).
pub async fn add_session(
    db: &mut Conn,
    series: CoachingSessionSeriesId,
    relationship: CoachingRelationshipId,
    fields: &SessionFields<'_>,
    now: DateTime<Utc>,
) -> Result<CoachingSessionId, sqlx::Error> {
    let id = coaching_sessions::insert(&mut *db, relationship, fields, now).await?;
    sqlx::query("UPDATE coaching_sessions SET coaching_session_series_id = $1, ical_recurrence_id = $2 WHERE id = $3")
        .bind(series)
        .bind(fields.date.format("%Y-%m-%dT%H:%M:%S").to_string())
        .bind(id)
        .execute(db)
        .await?;
    Ok(id)
}

/// The series' sessions, earliest first; only those starting after `after` when given.
pub async fn sessions(
    db: &mut Conn,
    series: CoachingSessionSeriesId,
    after: Option<NaiveDateTime>,
) -> Result<Vec<CoachingSession>, sqlx::Error> {
    let ids: Vec<CoachingSessionId> = sqlx::query_scalar(
        "SELECT id FROM coaching_sessions WHERE coaching_session_series_id = $1 AND ($2 IS NULL OR date > $2)
         ORDER BY date, id",
    )
    .bind(series)
    .bind(after)
    .fetch_all(&mut *db)
    .await?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(session) = coaching_sessions::by_id(&mut *db, id).await? {
            found.push(session);
        }
    }
    Ok(found)
}

/// Moves one of the series' sessions to the rule's new start (and length); raises its
/// calendar sequence.
pub async fn reschedule_session(
    db: &mut Conn,
    session: CoachingSessionId,
    (date, duration_minutes): (NaiveDateTime, i32),
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE coaching_sessions SET date = $1, duration_minutes = $2, ical_recurrence_id = $3,
            ical_sequence = ical_sequence + 1, updated_at = $4, updated_by = $5 WHERE id = $6",
    )
    .bind(date)
    .bind(duration_minutes)
    .bind(date.format("%Y-%m-%dT%H:%M:%S").to_string())
    .bind(now)
    .bind(by)
    .bind(session)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes a series; its past sessions stay, no longer part of it.
pub async fn delete(db: &mut Conn, id: CoachingSessionSeriesId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE coaching_sessions SET coaching_session_series_id = NULL WHERE coaching_session_series_id = $1")
        .bind(id)
        .execute(&mut *db)
        .await?;
    sqlx::query("DELETE FROM coaching_session_series WHERE id = $1").bind(id).execute(db).await?;
    Ok(())
}

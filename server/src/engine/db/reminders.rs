//! Reminders as durable jobs (`reminders`): made when a session is scheduled or moved,
//! removed with it, and claimed once by whichever instance finds them due.

use chrono::{DateTime, Duration, Utc};
use tandem_protocol::{ActionId, CoachingRelationshipId, CoachingSessionId, UserId};
use uuid::Uuid;

use super::{dialect, new_id, Conn, Db};

/// Which of a session's two reminders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Lead {
    /// A day before (`--reminder-day-secs`).
    Day,
    /// An hour before (`--reminder-hour-secs`).
    Hour,
}

/// A reminder claimed for sending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Due {
    pub id: Uuid,
    pub coaching_session_id: CoachingSessionId,
    pub user_id: UserId,
    pub lead: Lead,
    pub starts_at: DateTime<Utc>,
}

/// Sets `session`'s reminders for `people` from its start: each lead whose moment is still
/// ahead gets one (earlier reminders of the session, sent or not, are replaced).
pub async fn schedule(
    db: &mut Conn,
    session: CoachingSessionId,
    people: &[UserId],
    starts: DateTime<Utc>,
    leads: &[(Lead, Duration)],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM reminders WHERE coaching_session_id = $1").bind(session).execute(&mut *db).await?;
    for person in people {
        for (lead, before) in leads {
            let due = starts - *before;
            if due <= now {
                continue;
            }
            sqlx::query(
                "INSERT INTO reminders (id, coaching_session_id, user_id, lead, due_at, starts_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id::<Uuid>())
            .bind(session)
            .bind(person)
            .bind(lead)
            .bind(due)
            .bind(starts)
            .execute(&mut *db)
            .await?;
        }
    }
    Ok(())
}

/// Claims up to `limit` due reminders inside the caller's transaction, marking them sent: if
/// the transaction commits (with their mails queued) they are done, else they stay due.
pub async fn claim_due(db: &mut Conn, now: DateTime<Utc>, limit: i64) -> Result<Vec<Due>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE reminders SET sent_at = $1
         WHERE id IN (
            SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= $1 ORDER BY due_at LIMIT $2{skip}
         )
         RETURNING id, coaching_session_id, user_id, lead, starts_at",
        skip = dialect::SKIP_LOCKED
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// When the next unsent reminder falls due.
pub async fn next_due(db: impl sqlx::Executor<'_, Database = Db>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar("SELECT due_at FROM reminders WHERE sent_at IS NULL ORDER BY due_at LIMIT 1").fetch_optional(db).await
}

/// How many reminders wait (for tests and operators).
pub async fn waiting(db: impl sqlx::Executor<'_, Database = Db>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM reminders WHERE sent_at IS NULL").fetch_one(db).await
}

/// An open action of a person, for a reminder or a digest.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OpenAction {
    pub user_id: UserId,
    pub id: ActionId,
    pub coaching_session_id: CoachingSessionId,
    pub body: Option<String>,
    pub due_by: DateTime<Utc>,
}

const OPEN: &str = "a.status IN ('NotStarted', 'InProgress', 'OnHold')";

/// `person`'s open actions in `relationship` due by `until`, soonest first.
pub async fn open_actions_due(
    db: &mut Conn,
    relationship: CoachingRelationshipId,
    person: UserId,
    until: DateTime<Utc>,
) -> Result<Vec<OpenAction>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT aa.user_id, a.id, a.coaching_session_id, a.body, a.due_by
         FROM actions a
         JOIN action_assignees aa ON aa.action_id = a.id
         JOIN coaching_sessions s ON s.id = a.coaching_session_id
         WHERE s.coaching_relationship_id = $1 AND aa.user_id = $2 AND a.due_by IS NOT NULL AND a.due_by <= $3 AND {OPEN}
         ORDER BY a.due_by LIMIT 50"
    ))
    .bind(relationship)
    .bind(person)
    .bind(until)
    .fetch_all(db)
    .await
}

/// Everyone's open actions due from `from` to `until`, by person then due time (the digests).
pub async fn open_actions_due_between(
    db: impl sqlx::Executor<'_, Database = Db>,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<OpenAction>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT aa.user_id, a.id, a.coaching_session_id, a.body, a.due_by
         FROM actions a JOIN action_assignees aa ON aa.action_id = a.id
         WHERE a.due_by IS NOT NULL AND a.due_by >= $1 AND a.due_by < $2 AND {OPEN}
         ORDER BY aa.user_id, a.due_by"
    ))
    .bind(from)
    .bind(until)
    .fetch_all(db)
    .await
}

/// Records that `person` got the digest of `local_date`; false when they already had it.
pub async fn digest_sent(db: &mut Conn, person: UserId, local_date: &str, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO action_digests (user_id, local_date, sent_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(person)
    .bind(local_date)
    .bind(now)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Whether `person` already got the digest of `local_date`.
pub async fn had_digest(db: impl sqlx::Executor<'_, Database = Db>, person: UserId, local_date: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM action_digests WHERE user_id = $1 AND local_date = $2")
        .bind(person)
        .bind(local_date)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

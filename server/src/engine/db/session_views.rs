//! When each participant last opened each session (`POST /coaching_sessions/{id}/view`).

use chrono::{DateTime, Utc};
use tandem_protocol::{ActionId, AgreementId, ChangedSince, CoachingSessionId, TopicId, UserId};

use super::Conn;

/// Records that `user` opens `session` at `now`; returns when they had opened it before.
pub async fn record(
    db: &mut Conn,
    session: CoachingSessionId,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let previous: Option<DateTime<Utc>> =
        sqlx::query_scalar("SELECT last_viewed_at FROM session_views WHERE coaching_session_id = $1 AND user_id = $2")
            .bind(session)
            .bind(user)
            .fetch_optional(&mut *db)
            .await?;
    sqlx::query(
        "INSERT INTO session_views (coaching_session_id, user_id, last_viewed_at) VALUES ($1, $2, $3)
         ON CONFLICT (coaching_session_id, user_id) DO UPDATE SET last_viewed_at = excluded.last_viewed_at",
    )
    .bind(session)
    .bind(user)
    .bind(now)
    .execute(db)
    .await?;
    Ok(previous)
}

/// The ids of `table`'s rows in `session` that someone other than `me` created or changed
/// after `since` (topics only while not deleted).
async fn changed_in<I>(
    db: &mut Conn,
    table: &str,
    session: CoachingSessionId,
    me: UserId,
    since: DateTime<Utc>,
) -> Result<Vec<I>, sqlx::Error>
where
    I: Send + Unpin + for<'r> sqlx::Decode<'r, super::Db> + sqlx::Type<super::Db>,
{
    let live = if table == "topics" { " AND deleted_at IS NULL" } else { "" };
    sqlx::query_scalar(&format!(
        "SELECT id FROM {table} WHERE coaching_session_id = $1 AND updated_at > $2
         AND COALESCE(updated_by, user_id) <> $3{live} ORDER BY id"
    ))
    .bind(session)
    .bind(since)
    .bind(me)
    .fetch_all(db)
    .await
}

/// What someone other than `me` created or changed in `session` after `since`.
pub async fn changed_since(
    db: &mut Conn,
    session: CoachingSessionId,
    me: UserId,
    since: DateTime<Utc>,
) -> Result<ChangedSince, sqlx::Error> {
    let topics: Vec<TopicId> = changed_in(db, "topics", session, me, since).await?;
    let agreements: Vec<AgreementId> = changed_in(db, "agreements", session, me, since).await?;
    let actions: Vec<ActionId> = changed_in(db, "actions", session, me, since).await?;
    let notes: Vec<tandem_protocol::NoteId> = changed_in(db, "notes", session, me, since).await?;
    Ok(ChangedSince { topics, agreements, actions, notes: !notes.is_empty() })
}

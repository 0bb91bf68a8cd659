//! The pages that have a coaching session open [extension]: one row per tab, until it
//! expires.

use chrono::{DateTime, Utc};
use tandem_protocol::{CoachingSessionId, UserId};

use super::Db;

/// Notes that `user`'s page `tab` has `session` open until `expires`.
pub async fn hold(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    user: UserId,
    tab: &str,
    expires: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO presence (coaching_session_id, user_id, tab, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (coaching_session_id, user_id, tab) DO UPDATE SET expires_at = excluded.expires_at",
    )
    .bind(session)
    .bind(user)
    .bind(tab)
    .bind(expires)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets one page; returns whether it was there.
pub async fn release(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    user: UserId,
    tab: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM presence WHERE coaching_session_id = $1 AND user_id = $2 AND tab = $3")
        .bind(session)
        .bind(user)
        .bind(tab)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The people with a page of `session` open, each once, in id order. A page whose time ran
/// out counts until the sweep forgets it (within seconds).
pub async fn present(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT user_id FROM presence WHERE coaching_session_id = $1 ORDER BY user_id")
        .bind(session)
        .fetch_all(db)
        .await
}

/// The sessions with a page whose time ran out by `now`.
pub async fn sessions_with_expired(
    db: impl sqlx::Executor<'_, Database = Db>,
    now: DateTime<Utc>,
) -> Result<Vec<CoachingSessionId>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT coaching_session_id FROM presence WHERE expires_at <= $1")
        .bind(now)
        .fetch_all(db)
        .await
}

/// Forgets the pages of `session` whose time ran out by `now`.
pub async fn forget_expired(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM presence WHERE coaching_session_id = $1 AND expires_at <= $2")
        .bind(session)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

//! What the agreement and note handlers share: creating one within its session's quota.

use chrono::Utc;
use sqlx::SqlitePool;
use tandem_protocol::{CoachingSessionId, UserId};

use super::validate;
use crate::db::{self, session_texts, session_texts::SessionText};
use crate::error::{Error, Result};

/// Creates a `T` in `session` unless the session already holds `max` of them (`what` names
/// them in the 409), and returns it as stored.
pub async fn create_within_quota<T: SessionText>(
    db: &SqlitePool,
    session: CoachingSessionId,
    author: UserId,
    body: Option<&str>,
    (what, max): (&str, usize),
) -> Result<T> {
    // IMMEDIATE: the quota check and the write must not interleave with another writer's.
    let mut tx = db.begin_with("BEGIN IMMEDIATE").await?;
    let count = db::count_where(&mut *tx, T::TABLE, "coaching_session_id", session).await?;
    validate::quota(what, "session", count, max)?;
    let id = session_texts::insert::<T>(&mut *tx, session, author, body, Utc::now()).await?;
    let created = session_texts::by_id::<T>(&mut *tx, &id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(created)
}

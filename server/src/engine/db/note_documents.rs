//! The notes' shared documents [extension], one per coaching session (see
//! `crate::notes::crdt`).

use chrono::{DateTime, Utc};
use tandem_protocol::CoachingSessionId;

use super::Db;

/// The stored document of `session`, if one was started.
pub async fn state_of(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT state FROM note_documents WHERE coaching_session_id = $1")
        .bind(session)
        .fetch_optional(db)
        .await
}

/// Stores the whole document of `session`.
pub async fn store(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    state: &[u8],
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO note_documents (coaching_session_id, state, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (coaching_session_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(session)
    .bind(state)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

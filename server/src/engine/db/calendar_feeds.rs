//! Each person's private calendar feed: the hash of its secret, and when it was made.

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::Db;

/// Makes (or replaces) `user`'s feed.
pub async fn put(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, created_at = $3",
    )
    .bind(user)
    .bind(token_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// When `user`'s feed was made, if they have one.
pub async fn made_at(db: impl sqlx::Executor<'_, Database = Db>, user: UserId) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    sqlx::query_scalar("SELECT created_at FROM calendar_feeds WHERE user_id = $1").bind(user).fetch_optional(db).await
}

/// Whose feed has this secret's hash.
pub async fn owner(db: impl sqlx::Executor<'_, Database = Db>, token_hash: &str) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1").bind(token_hash).fetch_optional(db).await
}

/// Ends `user`'s feed; whether there was one.
pub async fn remove(db: impl sqlx::Executor<'_, Database = Db>, user: UserId) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user).execute(db).await?.rows_affected() > 0)
}

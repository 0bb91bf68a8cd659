//! Setup and password-reset links (their tokens' hashes): issued, looked up, used once.

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::Db;

pub use crate::auth::tokens::Purpose;

/// A stored link, as found by its token.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TokenRow {
    pub user_id: UserId,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    /// Whether it may still be used at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && self.expires_at > now
    }
}

/// Stores a new link for `user`; an earlier unused one of the same purpose stops working.
pub async fn issue(
    db: &mut super::Conn,
    user: UserId,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user)
        .bind(purpose)
        .execute(&mut *db)
        .await?;
    sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(purpose)
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// The link with this token hash and purpose, used or not.
pub async fn find(
    db: impl sqlx::Executor<'_, Database = Db>,
    token_hash: &str,
    purpose: Purpose,
) -> Result<Option<TokenRow>, sqlx::Error> {
    sqlx::query_as("SELECT user_id, expires_at, used_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2")
        .bind(token_hash)
        .bind(purpose)
        .fetch_optional(db)
        .await
}

/// Uses the link once: its person, if it was still usable at `now` (of two concurrent uses,
/// one gets it).
pub async fn consume(
    db: impl sqlx::Executor<'_, Database = Db>,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE account_tokens SET used_at = $3
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// How many links of `purpose` were issued to `user` since `since` (for rate limits).
pub async fn issued_since(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    purpose: Purpose,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND created_at >= $3")
        .bind(user)
        .bind(purpose)
        .bind(since)
        .fetch_one(db)
        .await
}

/// Forgets links that ended before `before` (used or expired); run now and then.
pub async fn forget_ended(db: impl sqlx::Executor<'_, Database = Db>, before: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1 OR used_at < $1").bind(before).execute(db).await?;
    Ok(())
}

/// Ends `user`'s unused links of `purpose` (they set a password another way).
pub async fn issue_none(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user)
        .bind(purpose)
        .execute(db)
        .await?;
    Ok(())
}

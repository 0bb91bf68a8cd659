//! Sign-ins. A cookie session names its login; revoking the login ends the session on
//! every server instance at once, whatever the cookie store still holds.

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::Db;
pub use crate::auth::LoginId;

/// Records a new sign-in of `user_id`.
pub async fn start(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<LoginId, sqlx::Error> {
    let login = LoginId(uuid::Uuid::new_v4());
    sqlx::query("INSERT INTO logins (id, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(login)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(login)
}

/// Whether the sign-in is still valid.
pub async fn is_active(db: impl sqlx::Executor<'_, Database = Db>, login: LoginId) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM logins WHERE id = $1 AND revoked_at IS NULL)")
        .bind(login)
        .fetch_one(db)
        .await
}

/// Ends one sign-in.
pub async fn revoke(
    db: impl sqlx::Executor<'_, Database = Db>,
    login: LoginId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE logins SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(login)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every sign-in of `user_id` but `keep`; returns the ended ones.
pub async fn revoke_others(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    keep: LoginId,
    now: DateTime<Utc>,
) -> Result<Vec<LoginId>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE logins SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(user_id)
    .bind(keep)
    .fetch_all(db)
    .await
}

/// Ends every sign-in of `user_id`; returns the ended ones.
pub async fn revoke_all(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Vec<LoginId>, sqlx::Error> {
    revoke_others(db, user_id, LoginId(uuid::Uuid::nil()), now).await
}

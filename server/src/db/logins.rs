//! Sign-ins. A cookie session names its login; revoking the login ends the session on
//! every server instance at once, whatever the cookie store still holds.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqliteExecutor;
use tandem_protocol::UserId;

/// Id of one sign-in (server-side only, never on the wire).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LoginId(pub String);

/// Records a new sign-in of `user_id`.
pub async fn start(db: impl SqliteExecutor<'_>, user_id: UserId, now: DateTime<Utc>) -> Result<LoginId, sqlx::Error> {
    let login = LoginId(uuid::Uuid::new_v4().to_string());
    sqlx::query("INSERT INTO logins (id, user_id, created_at) VALUES (?, ?, ?)")
        .bind(&login.0)
        .bind(user_id.to_string())
        .bind(now)
        .execute(db)
        .await?;
    Ok(login)
}

/// Whether the sign-in is still valid.
pub async fn is_active(db: impl SqliteExecutor<'_>, login: &LoginId) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM logins WHERE id = ? AND revoked_at IS NULL")
        .bind(&login.0)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Ends one sign-in.
pub async fn revoke(db: impl SqliteExecutor<'_>, login: &LoginId, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE logins SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
        .bind(now)
        .bind(&login.0)
        .execute(db)
        .await?;
    Ok(())
}

/// Ends every sign-in of `user_id` but `keep`; returns the ended ones.
pub async fn revoke_others(
    db: impl SqliteExecutor<'_>,
    user_id: UserId,
    keep: &LoginId,
    now: DateTime<Utc>,
) -> Result<Vec<LoginId>, sqlx::Error> {
    let ended: Vec<String> = sqlx::query_scalar(
        "UPDATE logins SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(user_id.to_string())
    .bind(&keep.0)
    .fetch_all(db)
    .await?;
    Ok(ended.into_iter().map(LoginId).collect())
}

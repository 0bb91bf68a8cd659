//! Secrets the instances share: created once by whichever starts first, then read by all.

use super::Db;

/// The key named `name`, storing `fresh` first when there is none yet. Two instances
/// starting at once both read the one that was stored first.
pub async fn get_or_create(
    db: impl sqlx::Executor<'_, Database = Db> + Copy,
    name: &str,
    fresh: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query("INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(db)
        .await?;
    sqlx::query_scalar("SELECT value FROM server_keys WHERE name = $1").bind(name).fetch_one(db).await
}

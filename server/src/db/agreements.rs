//! Agreements of a coaching session.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{Agreement, AgreementId, CoachingSessionId, UserId};

use super::new_id;
use super::row::id;

pub fn from_row(row: &SqliteRow) -> Result<Agreement, sqlx::Error> {
    Ok(Agreement {
        id: id(row, "id")?,
        coaching_session_id: id(row, "coaching_session_id")?,
        body: row.try_get("body")?,
        user_id: id(row, "user_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Creates an agreement.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    author: UserId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AgreementId, sqlx::Error> {
    let agreement: AgreementId = new_id();
    sqlx::query("INSERT INTO agreements (id, coaching_session_id, body, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(agreement.to_string())
        .bind(session.to_string())
        .bind(body)
        .bind(author.to_string())
        .bind(now)
        .bind(now)
        .execute(db)
        .await?;
    Ok(agreement)
}

/// The agreements of one session, oldest first.
pub async fn of_session(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
) -> Result<Vec<Agreement>, sqlx::Error> {
    sqlx::query("SELECT * FROM agreements WHERE coaching_session_id = ? ORDER BY created_at, id")
        .bind(session.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// One agreement.
pub async fn by_id(db: impl SqliteExecutor<'_>, item: AgreementId) -> Result<Option<Agreement>, sqlx::Error> {
    sqlx::query("SELECT * FROM agreements WHERE id = ?")
        .bind(item.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Replaces the body.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    item: AgreementId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE agreements SET body = ?, updated_at = ? WHERE id = ?")
        .bind(body)
        .bind(now)
        .bind(item.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an agreement.
pub async fn delete(db: impl SqliteExecutor<'_>, item: AgreementId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM agreements WHERE id = ?").bind(item.to_string()).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

//! Agreements and notes share one shape: a body someone wrote in a coaching session. Their
//! queries are written once, here, for any [`SessionText`].

use std::fmt::Display;

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{Agreement, AgreementId, CoachingSessionId, Note, NoteId, UserId};

use super::new_id;
use super::row::id;

/// An entity stored as `(id, coaching_session_id, body, user_id, created_at, updated_at)`.
pub trait SessionText: Sized {
    /// Its table.
    const TABLE: &'static str;
    /// Its id type.
    type Id: Display + From<uuid::Uuid>;
    /// Reads one row.
    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error>;
}

macro_rules! session_text {
    ($($entity:ident, $id:ident, $table:literal);* $(;)?) => {$(
        impl SessionText for $entity {
            const TABLE: &'static str = $table;
            type Id = $id;

            fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
                Ok($entity {
                    id: id(row, "id")?,
                    coaching_session_id: id(row, "coaching_session_id")?,
                    body: row.try_get("body")?,
                    user_id: id(row, "user_id")?,
                    created_at: row.try_get("created_at")?,
                    updated_at: row.try_get("updated_at")?,
                })
            }
        }
    )*};
}

session_text!(Agreement, AgreementId, "agreements"; Note, NoteId, "notes");

/// Creates one.
pub async fn insert<T: SessionText>(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    author: UserId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<T::Id, sqlx::Error> {
    let id: T::Id = new_id();
    sqlx::query(&format!(
        "INSERT INTO {} (id, coaching_session_id, body, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        T::TABLE
    ))
    .bind(id.to_string())
    .bind(session.to_string())
    .bind(body)
    .bind(author.to_string())
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// Those of one session, oldest first.
pub async fn of_session<T: SessionText>(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
) -> Result<Vec<T>, sqlx::Error> {
    sqlx::query(&format!("SELECT * FROM {} WHERE coaching_session_id = ? ORDER BY created_at, id", T::TABLE))
        .bind(session.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(T::from_row)
        .collect()
}

/// One of them.
pub async fn by_id<T: SessionText>(db: impl SqliteExecutor<'_>, id: &T::Id) -> Result<Option<T>, sqlx::Error> {
    sqlx::query(&format!("SELECT * FROM {} WHERE id = ?", T::TABLE))
        .bind(id.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(T::from_row)
        .transpose()
}

/// Replaces the body; returns whether it existed.
pub async fn update<T: SessionText>(
    db: impl SqliteExecutor<'_>,
    id: &T::Id,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!("UPDATE {} SET body = ?, updated_at = ? WHERE id = ?", T::TABLE))
        .bind(body)
        .bind(now)
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one; returns whether it existed.
pub async fn delete<T: SessionText>(db: impl SqliteExecutor<'_>, id: &T::Id) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!("DELETE FROM {} WHERE id = ?", T::TABLE)).bind(id.to_string()).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

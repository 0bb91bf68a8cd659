//! Notes of a coaching session.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{CoachingSessionId, Note, NoteId, UserId};

use super::new_id;
use super::row::id;

pub fn from_row(row: &SqliteRow) -> Result<Note, sqlx::Error> {
    Ok(Note {
        id: id(row, "id")?,
        coaching_session_id: id(row, "coaching_session_id")?,
        body: row.try_get("body")?,
        user_id: id(row, "user_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Creates a note.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    author: UserId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NoteId, sqlx::Error> {
    let note: NoteId = new_id();
    sqlx::query(
        "INSERT INTO notes (id, coaching_session_id, body, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(note.to_string())
    .bind(session.to_string())
    .bind(body)
    .bind(author.to_string())
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(note)
}

/// The notes of one session, oldest first.
pub async fn of_session(db: impl SqliteExecutor<'_>, session: CoachingSessionId) -> Result<Vec<Note>, sqlx::Error> {
    sqlx::query("SELECT * FROM notes WHERE coaching_session_id = ? ORDER BY created_at, id")
        .bind(session.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// One note.
pub async fn by_id(db: impl SqliteExecutor<'_>, item: NoteId) -> Result<Option<Note>, sqlx::Error> {
    sqlx::query("SELECT * FROM notes WHERE id = ?")
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
    item: NoteId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE notes SET body = ?, updated_at = ? WHERE id = ?")
        .bind(body)
        .bind(now)
        .bind(item.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

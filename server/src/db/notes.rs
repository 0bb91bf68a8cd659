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

//! Notes of a coaching session (queries in [`super::session_texts`]).

use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use tandem_protocol::{Note, NoteId};

use super::row::id;
use super::session_texts::SessionText;

impl SessionText for Note {
    const TABLE: &'static str = "notes";
    type Id = NoteId;

    fn from_row(row: &SqliteRow) -> Result<Self, sqlx::Error> {
        Ok(Note {
            id: id(row, "id")?,
            coaching_session_id: id(row, "coaching_session_id")?,
            body: row.try_get("body")?,
            user_id: id(row, "user_id")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

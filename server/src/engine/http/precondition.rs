//! Writes based on an old version are refused [extension] (see `tandem_protocol::versions`):
//! an edit that says which version it started from (`If-Match`) is compared, inside its
//! write, with the entity as it is; when they differ the answer is 409 with the entity now
//! and who changed it last. Each edit records its author for that purpose.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tandem_protocol::{parse_version_tag, StaleWrite, UserId, IF_MATCH};

use super::super::db::Conn;
use super::super::Db;
use crate::error::{Error, Result};

/// An id of a row, as queries bind it.
pub trait RowId: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send + 'static {}
impl<I: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send + 'static> RowId for I {}

/// The version an edit is based on, when the client said (`If-Match`; `*` means any).
#[derive(Clone, Copy, Debug, Default)]
pub struct IfMatch(pub Option<DateTime<Utc>>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let Some(value) = parts.headers.get(IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = value.to_str().map_err(|_| Error::BadRequest("If-Match: not text".into()))?.trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        parse_version_tag(text)
            .map(|at| IfMatch(Some(at)))
            .ok_or_else(|| Error::BadRequest(format!("If-Match: {text:?} is not a version (an updated_at, quoted)")))
    }
}

impl IfMatch {
    /// Refuses the write when it is based on another version than `current`'s
    /// (`updated_at`), saying who changed it last (read from `table`).
    pub async fn check<T: Serialize, I: RowId>(
        self,
        db: &mut Conn,
        table: &str,
        id: I,
        current: &T,
        updated_at: DateTime<Utc>,
    ) -> Result<()> {
        match self.0 {
            Some(seen) if seen != updated_at => {
                let changed_by = last_editor(db, table, id).await?;
                let details = serde_json::to_value(StaleWrite { current, changed_by }).ok();
                Err(Error::Conflict {
                    message: "This was changed by someone else after you started editing. Keep yours, or take theirs."
                        .into(),
                    details,
                })
            }
            _ => Ok(()),
        }
    }
}

/// Who changed the row `id` of `table` last (its author, if nobody edited it since).
async fn last_editor<I: RowId>(db: &mut Conn, table: &str, id: I) -> Result<Option<UserId>> {
    let author = if table == "coaching_sessions" { "updated_by" } else { "COALESCE(updated_by, user_id)" };
    let found: Option<Option<UserId>> =
        sqlx::query_scalar(&format!("SELECT {author} FROM {table} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    Ok(found.flatten())
}

/// Records `me` as who changed the row `id` of `table` last.
pub async fn mark_edited<I: RowId>(
    db: impl sqlx::Executor<'_, Database = Db>,
    table: &str,
    id: I,
    me: UserId,
) -> Result<()> {
    sqlx::query(&format!("UPDATE {table} SET updated_by = $1 WHERE id = $2")).bind(me).bind(id).execute(db).await?;
    Ok(())
}

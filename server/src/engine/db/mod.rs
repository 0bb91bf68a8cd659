//! Database access: connection, migrations, and queries per entity. Rows map to the wire
//! types through the protocol crate's `sqlx` derives.

pub mod account_tokens;
pub mod actions;
pub mod calendar_feeds;
pub mod coaching_sessions;
pub mod deleted_items;
pub mod goal_progress;
pub mod goals;
pub mod inbox;
pub mod logins;
pub mod mail_outbox;
pub mod note_documents;
pub mod notification_settings;
pub mod organizations;
pub mod presence;
pub mod relationships;
pub mod reminders;
pub mod server_keys;
pub mod session_texts;
pub mod series;
pub mod session_views;
pub mod topics;
pub mod users;

pub use crate::database::{new_id, DbError, LIST_MAX};

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::{dialect, Db};

/// An edit of a row someone else may change too [extension]: who makes it, when, and the
/// version (`updated_at`) it is based on, when the client said (`If-Match`).
#[derive(Clone, Copy, Debug)]
pub struct Edit {
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub based_on: Option<DateTime<Utc>>,
}

/// What an update of an edited row did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Updated {
    Done,
    /// Refused: the row is at another version than the edit was based on; who changed it last.
    Stale { changed_by: Option<UserId> },
    /// No such row.
    Missing,
}

impl Edit {
    /// The update's condition on the version, the version being bound as `$n` (after every
    /// other parameter); nothing when the edit is not based on one.
    fn version_clause(&self, n: usize) -> String {
        match self.based_on {
            Some(_) => format!(" AND updated_at = ${n}"),
            None => String::new(),
        }
    }

    /// Binds the version the clause of [`Edit::version_clause`] compares with.
    fn bind_version<'q>(
        &self,
        query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>,
    ) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>> {
        match self.based_on {
            Some(version) => query.bind(version),
            None => query,
        }
    }
}

/// Tells a refused update from one of a missing row: who changed row `id` of `table` last
/// (`editor` is the column, or expression, that says it).
async fn refused_update<I>(
    db: &mut Conn,
    table: &str,
    editor: &str,
    id: I,
    rows_affected: u64,
) -> Result<Updated, sqlx::Error>
where
    I: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send,
{
    if rows_affected == 1 {
        return Ok(Updated::Done);
    }
    let found: Option<Option<UserId>> =
        sqlx::query_scalar(&format!("SELECT {editor} FROM {table} WHERE id = $1")).bind(id).fetch_optional(db).await?;
    Ok(match found {
        Some(changed_by) => Updated::Stale { changed_by },
        None => Updated::Missing,
    })
}

/// Who changed a row last where it records its author: its editor, else its author.
const EDITED_OR_AUTHORED: &str = "COALESCE(updated_by, user_id)";

/// A pool of connections to the database.
pub type Pool = sqlx::Pool<Db>;
/// One connection, borrowed from the pool or a transaction.
pub type Conn = <Db as sqlx::Database>::Connection;
/// A transaction.
pub type Tx = sqlx::Transaction<'static, Db>;

/// Opens and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<Pool, DbError> {
    let pool = dialect::open(url).await?;
    sqlx::migrate!("./migrations").run(&pool).await.map_err(|error| DbError::migration(url, error))?;
    Ok(pool)
}

/// How many rows of `table` have `column` = `id` (for creation quotas).
async fn count_where<T>(
    db: impl sqlx::Executor<'_, Database = Db>,
    table: &str,
    column: &str,
    id: T,
) -> Result<usize, sqlx::Error>
where
    T: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send,
{
    let count: i64 =
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1")).bind(id).fetch_one(db).await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

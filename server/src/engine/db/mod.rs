//! Database access: connection, migrations, and queries per entity. Rows map to the wire
//! types through the protocol crate's `sqlx` derives.

pub mod actions;
pub mod coaching_sessions;
pub mod goals;
pub mod logins;
pub mod note_documents;
pub mod organizations;
pub mod presence;
pub mod relationships;
pub mod server_keys;
pub mod session_texts;
pub mod users;

pub use crate::database::{new_id, DbError, LIST_MAX};

use super::{dialect, Db};

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
pub async fn count_where<T>(
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

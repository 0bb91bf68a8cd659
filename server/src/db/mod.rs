//! Database access: connection, migrations, and queries per entity.

pub mod actions;
pub mod coaching_sessions;
pub mod goals;
pub mod logins;
pub mod organizations;
pub mod relationships;
mod row;
pub mod session_texts;
pub mod users;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("bad database URL {url:?}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("unsupported database URL {url:?}: this server opens SQLite databases only (sqlite://path/to/file.db)")]
    Scheme { url: String },
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating when missing) and migrates the SQLite database at `url`.
pub async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    // sqlx reads any string as a file name: `postgres://user@host/db` would silently become
    // a SQLite file at `./postgres:/user@host/db`, which two instances would then share.
    if !url.starts_with("sqlite:") {
        return Err(DbError::Scheme { url: url.to_owned() });
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbError::Url { url: url.to_owned(), source })?
        .create_if_missing(true)
        .foreign_keys(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5));
    let file = options.get_filename();
    if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty() && *p != Path::new("")) {
        if file.as_os_str() != ":memory:" {
            std::fs::create_dir_all(folder)
                .map_err(|source| DbError::Folder { path: folder.display().to_string(), source })?;
        }
    }
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Most rows any list answer holds (the contract has no pagination). Creation quotas keep
/// the lists of one session or relationship below it; lists across them stop here.
pub const LIST_MAX: usize = 1_000;

/// How many rows of `table` have `column` = `id` (for creation quotas).
pub async fn count_where(
    db: impl sqlx::SqliteExecutor<'_>,
    table: &str,
    column: &str,
    id: impl std::fmt::Display,
) -> Result<usize, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = ?"))
        .bind(id.to_string())
        .fetch_one(db)
        .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// A fresh id for a new row.
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_url_of_another_engine_is_refused_and_creates_nothing() {
        for url in ["postgres://tandem@localhost:5432/tandem", "mysql://db/tandem", "tandem.db", "file:tandem.db"] {
            let error = connect(url).await.expect_err(url);
            assert!(matches!(error, DbError::Scheme { .. }), "{url}: {error}");
            assert!(error.to_string().contains("SQLite databases only"), "{error}");
        }
        assert!(!Path::new("postgres:").exists(), "no file was made for the refused URL");
        assert!(connect("sqlite::memory:").await.is_ok());
    }
}

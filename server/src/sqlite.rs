//! Tandem on SQLite, the embedded default (`sqlite://path/to/file.db`).
//!
//! The modules below are compiled from `src/engine/` once per engine, with `Db` naming the
//! engine: one source of queries and handlers, no runtime dispatch and no generic bounds over
//! sqlx's traits. What SQLite says differently from PostgreSQL is in [`dialect`], and only there.

/// The engine this copy of `src/engine/` is compiled for.
pub type Db = sqlx::Sqlite;

crate::engine_modules!();

/// What SQLite says its own way.
pub mod dialect {
    use std::path::Path;
    use std::str::FromStr;
    use std::time::Duration;

    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
    use uuid::Uuid;

    use super::Db;
    use crate::database::DbError;

    /// Where cookie sessions live.
    pub type SessionStore = tower_sessions_sqlx_store::SqliteStore;

    /// Whether several instances may share the database. Not SQLite's: one process writes it,
    /// and that process hands its events to its streams itself, after each commit.
    pub const SHARED: bool = false;

    /// Tells other instances. SQLite has none: nothing to send.
    pub async fn notify(_db: &mut super::db::Conn, _channel: &str, _payload: &str) -> Result<(), sqlx::Error> {
        Ok(())
    }

    /// Appended to a `SELECT` whose rows must stay as read until the transaction ends.
    /// Nothing on SQLite: [`begin_write`] already holds the one write lock.
    pub const FOR_UPDATE: &str = "";

    /// Appended to the `SELECT` that picks queued work to claim, so two claimers never take
    /// the same rows. Nothing on SQLite: one process, and its claim is one statement.
    pub const SKIP_LOCKED: &str = "";

    /// Opens (creating when missing) the database file.
    pub async fn open(url: &str) -> Result<sqlx::Pool<Db>, DbError> {
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
        Ok(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
    }

    /// Starts a transaction that will write. It takes SQLite's write lock at once, so its
    /// checks (quotas, the goal limit, access) and its writes see no other writer between them.
    pub async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
        pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// `column IN (…)` over a list of ids bound as parameter `$param` (see [`id_list`]).
    pub fn in_ids(column: &str, param: usize) -> String {
        format!("{column} IN (SELECT unhex(value) FROM json_each(${param}))")
    }

    /// A list of ids as one parameter: a JSON array of their hex digits.
    pub fn id_list(ids: impl IntoIterator<Item = Uuid>) -> String {
        let hex: Vec<String> = ids.into_iter().map(|id| id.simple().to_string()).collect();
        serde_json::to_string(&hex).unwrap_or_else(|_| "[]".to_owned())
    }

    /// Starts handing events to this instance's streams. On SQLite each write hands over its
    /// own events after it commits (`write.rs`): nothing runs in the background.
    pub async fn start_delivery(
        _pool: &sqlx::Pool<Db>,
        _hub: &std::sync::Arc<crate::realtime::Hub>,
    ) -> Result<Delivery, sqlx::Error> {
        Ok(Delivery)
    }

    /// What keeps delivery running: nothing on SQLite.
    pub struct Delivery;

    impl Delivery {
        /// Whether events reach this instance's streams: always, from its own writes.
        pub fn is_connected(&self) -> bool {
            true
        }
    }

    /// Cookie sessions in the same database.
    pub fn session_store(pool: sqlx::Pool<Db>) -> SessionStore {
        SessionStore::new(pool)
    }
}

/// `tandem-server admin backup --to FILE`: a consistent copy of the live database
/// (`VACUUM INTO` reads one snapshot while writers go on), compacted, into a file that must
/// not exist yet. The copy is a database like any other: start a server on it to restore.
pub async fn backup(url: &str, to: &std::path::Path) -> Result<u64, String> {
    if to.exists() {
        return Err(format!("{} exists already: choose a new file", to.display()));
    }
    let target = to.to_str().ok_or_else(|| format!("{} is not a UTF-8 path", to.display()))?;
    let pool = db::connect(url).await.map_err(|error| error.to_string())?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(&pool).await.map_err(|error| format!("backup: {error}"))?;
    pool.close().await;
    std::fs::metadata(to).map(|meta| meta.len()).map_err(|error| error.to_string())
}

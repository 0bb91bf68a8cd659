//! What the two engines share: which one a URL names, and why a database could not be opened.

/// The engines Tandem runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// The embedded default: one process, one file.
    Sqlite,
    /// A database server that several instances share.
    Postgres,
}

impl Engine {
    /// The engine a database URL names, by its scheme.
    pub fn of_url(url: &str) -> Result<Engine, DbError> {
        // sqlx reads any string as a SQLite file name: `postgres:/…` or `mysql://…` would
        // silently become a file, which two instances would then share. Only known schemes
        // pass.
        let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Engine::Sqlite),
            Some("postgres" | "postgresql") => Ok(Engine::Postgres),
            _ => Err(DbError::Scheme { url: url.to_owned() }),
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("bad database URL {url:?}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error(
        "unsupported database URL {url:?}: use sqlite://path/to/file.db (the embedded default) \
         or postgres://user:password@host:port/database"
    )]
    Scheme { url: String },
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot reach the database at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error(
        "the database {url} was made by an earlier version of Tandem whose schema cannot be \
         upgraded ({source}); move it away (for SQLite, the file) to start afresh"
    )]
    OldSchema { url: String, source: sqlx::migrate::MigrateError },
    #[error("cannot migrate the database {url}: {source}")]
    Migrate { url: String, source: sqlx::migrate::MigrateError },
}

impl DbError {
    /// A failed migration of the database at `url`: an earlier schema says so.
    pub fn migration(url: &str, source: sqlx::migrate::MigrateError) -> Self {
        let url = url.to_owned();
        match source {
            sqlx::migrate::MigrateError::VersionMismatch(_) => DbError::OldSchema { url, source },
            source => DbError::Migrate { url, source },
        }
    }
}

/// Most rows any list answer holds (the contract has no pagination). Creation quotas keep
/// the lists of one session or relationship below it; lists across them stop here.
pub const LIST_MAX: usize = 1_000;

/// A fresh id for a new row.
pub fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_names_its_engine_and_an_unknown_scheme_is_refused() {
        assert_eq!(Engine::of_url("sqlite://data/tandem.db").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::of_url("sqlite::memory:").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::of_url("postgres://tandem@localhost:5432/tandem").unwrap(), Engine::Postgres);
        assert_eq!(Engine::of_url("postgresql://localhost/tandem").unwrap(), Engine::Postgres);
        for url in ["mysql://db/tandem", "tandem.db", "file:tandem.db", ""] {
            let error = Engine::of_url(url).expect_err(url);
            assert!(matches!(error, DbError::Scheme { .. }), "{url}: {error}");
            assert!(error.to_string().contains("postgres://"), "{error}");
        }
    }
}

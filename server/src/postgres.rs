//! Tandem on PostgreSQL (`postgres://user:password@host:port/database`), which several
//! instances can share.
//!
//! The modules below are compiled from `src/engine/` once per engine, with `Db` naming the
//! engine: one source of queries and handlers, no runtime dispatch and no generic bounds over
//! sqlx's traits. What PostgreSQL says differently from SQLite is in [`dialect`], and only there.

/// The engine this copy of `src/engine/` is compiled for.
pub type Db = sqlx::Postgres;

crate::engine_modules!();
pub mod listener;

/// What PostgreSQL says its own way.
pub mod dialect {
    use std::str::FromStr;
    use std::time::Duration;

    use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
    use sqlx::Connection;
    use uuid::Uuid;

    use super::Db;
    use crate::database::DbError;

    /// Where cookie sessions live.
    pub type SessionStore = tower_sessions_sqlx_store::PostgresStore;

    /// Whether several instances may share the database. They may: every instance, this one
    /// included, hands events to its streams from the database's notifications.
    pub const SHARED: bool = true;

    /// Sends a notification on `channel`; inside a transaction it goes out when (and only
    /// if) the transaction commits, in commit order.
    pub async fn notify(db: &mut super::db::Conn, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(db).await?;
        Ok(())
    }

    /// Appended to a `SELECT` whose rows must stay as read until the transaction ends: other
    /// writers of the same rows wait for this transaction to end.
    pub const FOR_UPDATE: &str = " FOR UPDATE";

    /// Appended to the `SELECT` that picks queued work to claim: rows another instance is
    /// claiming right now are passed over, so each row is claimed by one instance.
    pub const SKIP_LOCKED: &str = " FOR UPDATE SKIP LOCKED";

    /// Connects to the database server; an unreachable one is an error at once.
    pub async fn open(url: &str) -> Result<sqlx::Pool<Db>, DbError> {
        let options = PgConnectOptions::from_str(url).map_err(|source| DbError::Url { url: url.to_owned(), source })?;
        // One connection first, so that a refused or unknown database says why at once
        // rather than as the pool's timeout.
        let unreachable = |source| DbError::Unreachable { url: redacted(url), source };
        PgConnection::connect_with(&options).await.map_err(unreachable)?.close().await.map_err(unreachable)?;
        PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(unreachable)
    }

    /// The URL without its password, for messages.
    fn redacted(url: &str) -> String {
        match url::Url::parse(url) {
            Ok(mut parsed) if parsed.password().is_some() => {
                let _ = parsed.set_password(Some("***"));
                parsed.to_string()
            }
            _ => url.to_owned(),
        }
    }

    /// Starts a transaction that will write. Reads that guard a write lock their rows with
    /// [`FOR_UPDATE`].
    pub async fn begin_write(pool: &sqlx::Pool<Db>) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
        pool.begin().await
    }

    /// `column = ANY(…)` over a list of ids bound as parameter `$param` (see [`id_list`]).
    pub fn in_ids(column: &str, param: usize) -> String {
        format!("{column} = ANY(${param})")
    }

    /// A list of ids as one parameter: a `uuid[]`.
    pub fn id_list(ids: impl IntoIterator<Item = Uuid>) -> Vec<Uuid> {
        ids.into_iter().collect()
    }

    /// Starts handing events to this instance's streams: from the database's notifications.
    pub async fn start_delivery(
        pool: &sqlx::Pool<Db>,
        hub: &std::sync::Arc<crate::realtime::Hub>,
    ) -> Result<Delivery, sqlx::Error> {
        super::listener::start(pool.clone(), hub.clone()).await
    }

    /// What keeps delivery running.
    pub type Delivery = super::listener::Delivery;

    /// Cookie sessions in the same database, so any instance serves any browser.
    pub fn session_store(pool: sqlx::Pool<Db>) -> SessionStore {
        SessionStore::new(pool)
    }
}

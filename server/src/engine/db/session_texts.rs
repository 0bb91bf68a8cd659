//! Agreements and notes share one shape: a body someone wrote in a coaching session. Their
//! queries are written once, here, for any [`SessionText`].

use chrono::{DateTime, Utc};
use tandem_protocol::{Agreement, AgreementId, CoachingSessionId, Note, NoteId, UserId};

use super::{count_where, new_id, refused_update, Conn, Db, Edit, Updated, EDITED_OR_AUTHORED};

/// An entity stored as `(id, coaching_session_id, body, user_id, created_at, updated_at)`.
pub trait SessionText: Sized + Send + Unpin + for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> {
    /// Its table.
    const TABLE: &'static str;
    /// Its id type (also read from and written to the wire, hence serde).
    type Id: Copy
        + Send
        + Sync
        + 'static
        + From<uuid::Uuid>
        + Into<uuid::Uuid>
        + serde::de::DeserializeOwned
        + serde::Serialize
        + for<'q> sqlx::Encode<'q, Db>
        + sqlx::Type<Db>;
}

impl SessionText for Agreement {
    const TABLE: &'static str = "agreements";
    type Id = AgreementId;
}

impl SessionText for Note {
    const TABLE: &'static str = "notes";
    type Id = NoteId;
}

/// Creates one.
pub async fn insert<T: SessionText>(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    author: UserId,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<T::Id, sqlx::Error> {
    let id: T::Id = new_id();
    sqlx::query(&format!(
        "INSERT INTO {} (id, coaching_session_id, body, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        T::TABLE
    ))
    .bind(id)
    .bind(session)
    .bind(body)
    .bind(author)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// Those of one session, oldest first.
pub async fn of_session<T: SessionText>(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Vec<T>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT * FROM {} WHERE coaching_session_id = $1 ORDER BY created_at, id", T::TABLE))
        .bind(session)
        .fetch_all(db)
        .await
}

/// The oldest of one session (the one the live notes document mirrors).
pub async fn first_of_session<T: SessionText>(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Option<T>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT * FROM {} WHERE coaching_session_id = $1 ORDER BY created_at, id LIMIT 1",
        T::TABLE
    ))
    .bind(session)
    .fetch_optional(db)
    .await
}

/// One of them.
pub async fn by_id<T: SessionText>(
    db: impl sqlx::Executor<'_, Database = Db>,
    id: T::Id,
) -> Result<Option<T>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT * FROM {} WHERE id = $1", T::TABLE)).bind(id).fetch_optional(db).await
}

/// Replaces the body; returns whether it existed.
pub async fn update<T: SessionText>(
    db: &mut Conn,
    id: T::Id,
    body: Option<&str>,
    edit: Edit,
) -> Result<Updated, sqlx::Error> {
    let sql = format!(
        "UPDATE {} SET body = $1, updated_at = $2, updated_by = $3 WHERE id = $4{}",
        T::TABLE,
        edit.version_clause(5)
    );
    let query = sqlx::query(&sql).bind(body).bind(edit.at).bind(edit.by).bind(id);
    let done = edit.bind_version(query).execute(&mut *db).await?;
    refused_update(db, T::TABLE, EDITED_OR_AUTHORED, id, done.rows_affected()).await
}

/// How many a session holds (for its quota).
pub async fn count_in_session<T: SessionText>(db: &mut Conn, session: CoachingSessionId) -> Result<usize, sqlx::Error> {
    count_where(db, T::TABLE, "coaching_session_id", session).await
}

/// Deletes one; returns whether it existed.
pub async fn delete<T: SessionText>(
    db: impl sqlx::Executor<'_, Database = Db>,
    id: T::Id,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&format!("DELETE FROM {} WHERE id = $1", T::TABLE)).bind(id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

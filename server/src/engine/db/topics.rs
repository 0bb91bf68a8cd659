//! A session's agenda. Deleting a topic only marks it (`deleted_at`) so that undo can bring
//! it back; deferring moves it to another session and remembers where from.

use chrono::{DateTime, Utc};
use tandem_protocol::{CoachingRelationshipId, CoachingSessionId, Topic, TopicId, TopicPriority, TopicStatus, UserId};

use super::{new_id, refused_update, Conn, Db, Edit, Updated};

/// Who changed a topic last: its editor, else its author.
const EDITOR: &str = "COALESCE(updated_by, user_id)";

/// A topic with what only the server keeps.
#[derive(Debug, sqlx::FromRow)]
pub struct StoredTopic {
    #[sqlx(flatten)]
    pub topic: Topic,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Who changed it last, when someone other than its author did.
    pub updated_by: Option<UserId>,
    /// Its status in the session it was deferred from.
    pub status_before_move: Option<TopicStatus>,
}

/// The session's topics (not deleted) in agenda order.
pub async fn of_session(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Vec<Topic>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM topics WHERE coaching_session_id = $1 AND deleted_at IS NULL
         ORDER BY position, created_at, id",
    )
    .bind(session)
    .fetch_all(db)
    .await
}

/// One topic, deleted or not.
pub async fn by_id(db: &mut Conn, id: TopicId) -> Result<Option<StoredTopic>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM topics WHERE id = $1").bind(id).fetch_optional(db).await
}

/// How many topics the session's agenda holds (for its quota).
pub async fn count_in_session(db: &mut Conn, session: CoachingSessionId) -> Result<usize, sqlx::Error> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM topics WHERE coaching_session_id = $1 AND deleted_at IS NULL")
            .bind(session)
            .fetch_one(db)
            .await?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// The place after the session's last topic.
async fn next_position(db: &mut Conn, session: CoachingSessionId) -> Result<i32, sqlx::Error> {
    let last: Option<i32> = sqlx::query_scalar("SELECT MAX(position) FROM topics WHERE coaching_session_id = $1")
        .bind(session)
        .fetch_one(db)
        .await?;
    Ok(last.map_or(0, |last| last.saturating_add(1)))
}

/// Adds a topic at the end of the agenda.
pub async fn insert(
    db: &mut Conn,
    session: CoachingSessionId,
    author: UserId,
    body: &str,
    priority: Option<TopicPriority>,
    now: DateTime<Utc>,
) -> Result<TopicId, sqlx::Error> {
    let id: TopicId = new_id();
    let position = next_position(db, session).await?;
    sqlx::query(
        "INSERT INTO topics (id, coaching_session_id, body, user_id, priority, status, position, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'Open', $6, $7, $7)",
    )
    .bind(id)
    .bind(session)
    .bind(body)
    .bind(author)
    .bind(priority)
    .bind(position)
    .bind(now)
    .execute(&mut *db)
    .await?;
    Ok(id)
}

/// One field of a topic a person edits.
#[derive(Clone, Copy, Debug)]
pub enum TopicField<'a> {
    Body(&'a str),
    Priority(Option<TopicPriority>),
    Status(TopicStatus),
}

/// Changes one field of a live topic, if still at the edit's version.
pub async fn update(db: &mut Conn, id: TopicId, field: TopicField<'_>, edit: Edit) -> Result<Updated, sqlx::Error> {
    let column = match field {
        TopicField::Body(_) => "body",
        TopicField::Priority(_) => "priority",
        TopicField::Status(_) => "status",
    };
    let sql = format!(
        "UPDATE topics SET {column} = $1, updated_at = $2, updated_by = $3 WHERE id = $4 AND deleted_at IS NULL{}",
        edit.version_clause(5)
    );
    let query = sqlx::query(&sql);
    let query = match field {
        TopicField::Body(body) => query.bind(body),
        TopicField::Priority(priority) => query.bind(priority),
        TopicField::Status(status) => query.bind(status),
    };
    let done = edit.bind_version(query.bind(edit.at).bind(edit.by).bind(id)).execute(&mut *db).await?;
    refused_update(db, "topics", EDITOR, id, done.rows_affected()).await
}

/// Where a topic moves: deferred to `to` (remembering `from` and its status there), or back.
#[derive(Clone, Copy, Debug)]
pub struct Move {
    pub to: CoachingSessionId,
    pub status: TopicStatus,
    pub moved_from: Option<CoachingSessionId>,
    pub status_before_move: Option<TopicStatus>,
}

/// Moves a topic to the end of another session's agenda.
pub async fn move_to(db: &mut Conn, id: TopicId, to: Move, by: UserId, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let position = next_position(db, to.to).await?;
    sqlx::query(
        "UPDATE topics SET coaching_session_id = $1, status = $2, moved_from_session_id = $3,
         status_before_move = $4, position = $5, updated_at = $6, updated_by = $7 WHERE id = $8",
    )
    .bind(to.to)
    .bind(to.status)
    .bind(to.moved_from)
    .bind(to.status_before_move)
    .bind(position)
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Marks a topic deleted (`Some`) or brings it back (`None`).
pub async fn set_deleted(
    db: &mut Conn,
    id: TopicId,
    deleted: Option<DateTime<Utc>>,
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE topics SET deleted_at = $1, updated_at = $2, updated_by = $3 WHERE id = $4")
        .bind(deleted)
        .bind(now)
        .bind(by)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Puts the session's topics in the given order (positions 0, 1, …). The caller checked that
/// `ordered` is exactly the session's live topics.
pub async fn reorder(db: &mut Conn, session: CoachingSessionId, ordered: &[TopicId]) -> Result<(), sqlx::Error> {
    for (position, id) in ordered.iter().enumerate() {
        sqlx::query("UPDATE topics SET position = $1 WHERE id = $2 AND coaching_session_id = $3")
            .bind(i32::try_from(position).unwrap_or(i32::MAX))
            .bind(*id)
            .bind(session)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// The relationship's first session after `after` (by date, then id), if any.
pub async fn next_session(
    db: &mut Conn,
    relationship: CoachingRelationshipId,
    after: CoachingSessionId,
) -> Result<Option<CoachingSessionId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT s.id FROM coaching_sessions s, coaching_sessions this
         WHERE this.id = $2 AND s.coaching_relationship_id = $1 AND s.id <> this.id
           AND (s.date > this.date OR (s.date = this.date AND s.id > this.id))
         ORDER BY s.date, s.id LIMIT 1",
    )
    .bind(relationship)
    .bind(after)
    .fetch_optional(db)
    .await
}

/// Forgets topics deleted before `before` (undo is offered for seconds; a day is plenty).
pub async fn forget_deleted(db: impl sqlx::Executor<'_, Database = Db>, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM topics WHERE deleted_at < $1").bind(before).execute(db).await?;
    Ok(done.rows_affected())
}

//! A person's inbox (`notifications`): items added in the write that causes them, read newest
//! first, marked read, forgotten after 90 days.

use chrono::{DateTime, NaiveDateTime, Utc};
use tandem_protocol::{ActionId, CoachingSessionId, Notification, NotificationId, NotificationKind, UserId};

use super::{new_id, Conn, Db};

/// How long items are kept.
pub const KEPT: chrono::Duration = chrono::Duration::days(90);

/// A new item for `user`.
pub struct NewItem<'a> {
    pub user: UserId,
    pub kind: NotificationKind,
    pub actor: UserId,
    pub actor_name: &'a str,
    pub subject: &'a str,
    pub session: Option<CoachingSessionId>,
    pub action: Option<ActionId>,
    pub session_date: Option<NaiveDateTime>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: NotificationId,
    kind: String,
    actor_id: Option<UserId>,
    actor_name: String,
    subject: String,
    coaching_session_id: Option<CoachingSessionId>,
    action_id: Option<ActionId>,
    session_date: Option<NaiveDateTime>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_wire(self) -> Option<Notification> {
        Some(Notification {
            id: self.id,
            kind: NotificationKind::parse(&self.kind)?,
            actor_id: self.actor_id,
            actor_name: self.actor_name,
            subject: self.subject,
            coaching_session_id: self.coaching_session_id,
            action_id: self.action_id,
            session_date: self.session_date,
            created_at: self.created_at,
            read_at: self.read_at,
        })
    }
}

const COLUMNS: &str =
    "id, kind, actor_id, actor_name, subject, coaching_session_id, action_id, session_date, created_at, read_at";

/// Adds an item and returns it as sent.
pub async fn add(db: &mut Conn, item: &NewItem<'_>, now: DateTime<Utc>) -> Result<Notification, sqlx::Error> {
    let id = NotificationId::from_uuid(new_id());
    sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, actor_id, actor_name, subject, coaching_session_id, action_id,
            session_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(item.user)
    .bind(item.kind.as_str())
    .bind(item.actor)
    .bind(item.actor_name)
    .bind(item.subject)
    .bind(item.session)
    .bind(item.action)
    .bind(item.session_date)
    .bind(now)
    .execute(db)
    .await?;
    Ok(Notification {
        id,
        kind: item.kind,
        actor_id: Some(item.actor),
        actor_name: item.actor_name.to_owned(),
        subject: item.subject.to_owned(),
        coaching_session_id: item.session,
        action_id: item.action,
        session_date: item.session_date,
        created_at: now,
        read_at: None,
    })
}

/// The newest `limit` items of `user` since `since`, newest first.
pub async fn newest(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Notification>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notifications WHERE user_id = $1 AND created_at >= $2
         ORDER BY created_at DESC, id DESC LIMIT $3"
    ))
    .bind(user)
    .bind(since)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().filter_map(Row::into_wire).collect())
}

/// How many of `user`'s items since `since` are unread.
pub async fn unread(db: impl sqlx::Executor<'_, Database = Db>, user: UserId, since: DateTime<Utc>) -> Result<u32, sqlx::Error> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL AND created_at >= $2")
            .bind(user)
            .bind(since)
            .fetch_one(db)
            .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// Marks `user`'s unread items among `ids` (every unread one when `ids` is `None`) read, and
/// returns those it marked.
pub async fn mark_read(
    db: &mut Conn,
    user: UserId,
    ids: Option<&[NotificationId]>,
    now: DateTime<Utc>,
) -> Result<Vec<NotificationId>, sqlx::Error> {
    match ids {
        None => {
            sqlx::query_scalar("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL RETURNING id")
                .bind(user)
                .bind(now)
                .fetch_all(db)
                .await
        }
        Some(ids) => {
            let mut marked = Vec::new();
            for id in ids {
                let found: Option<NotificationId> = sqlx::query_scalar(
                    "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING id",
                )
                .bind(id)
                .bind(user)
                .bind(now)
                .fetch_optional(&mut *db)
                .await?;
                marked.extend(found);
            }
            Ok(marked)
        }
    }
}

/// Forgets items older than `before`.
pub async fn forget_before(db: impl sqlx::Executor<'_, Database = Db>, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM notifications WHERE created_at < $1").bind(before).execute(db).await?.rows_affected())
}

//! Actions and their assignees.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use tandem_protocol::{Action, ActionId, CoachingSessionId, GoalId, Status, UserId};

use super::new_id;
use super::row::{id, opt_id, wire, wire_text};

/// The fields a person sets on an action.
pub struct ActionFields<'a> {
    pub body: Option<&'a str>,
    pub due_by: Option<DateTime<Utc>>,
    pub status: Status,
    pub goal_id: Option<GoalId>,
    pub assignee_ids: &'a [UserId],
}

pub fn from_row(row: &SqliteRow, assignee_ids: Vec<UserId>) -> Result<Action, sqlx::Error> {
    Ok(Action {
        id: id(row, "id")?,
        coaching_session_id: id(row, "coaching_session_id")?,
        goal_id: opt_id(row, "goal_id")?,
        user_id: id(row, "user_id")?,
        body: row.try_get("body")?,
        due_by: row.try_get("due_by")?,
        status: wire(row, "status")?,
        status_changed_at: row.try_get("status_changed_at")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        assignee_ids,
    })
}

/// Creates an action with its assignees. Run it inside a transaction.
pub async fn insert(
    db: &mut SqliteConnection,
    session: CoachingSessionId,
    author: UserId,
    fields: &ActionFields<'_>,
    now: DateTime<Utc>,
) -> Result<ActionId, sqlx::Error> {
    let action: ActionId = new_id();
    sqlx::query(
        "INSERT INTO actions (id, coaching_session_id, goal_id, user_id, body, due_by, status, status_changed_at,
            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(action.to_string())
    .bind(session.to_string())
    .bind(fields.goal_id.map(|g| g.to_string()))
    .bind(author.to_string())
    .bind(fields.body)
    .bind(fields.due_by)
    .bind(wire_text(&fields.status))
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(&mut *db)
    .await?;
    for assignee in fields.assignee_ids {
        sqlx::query("INSERT INTO action_assignees (action_id, user_id) VALUES (?, ?)")
            .bind(action.to_string())
            .bind(assignee.to_string())
            .execute(&mut *db)
            .await?;
    }
    Ok(action)
}

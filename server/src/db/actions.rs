//! Actions and their assignees.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqliteExecutor};
use tandem_protocol::{
    Action, ActionId, ActionSortField, CoachingRelationshipId, CoachingSessionId, GoalId, SortOrder, Status, UserId,
};

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
    add_assignees(db, action, fields.assignee_ids).await?;
    Ok(action)
}

/// Assigns the action to each of `assignees` (repeats are ignored).
async fn add_assignees(db: &mut SqliteConnection, action: ActionId, assignees: &[UserId]) -> Result<(), sqlx::Error> {
    for assignee in assignees {
        sqlx::query("INSERT OR IGNORE INTO action_assignees (action_id, user_id) VALUES (?, ?)")
            .bind(action.to_string())
            .bind(assignee.to_string())
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// How a list of actions is ordered.
#[derive(Clone, Copy, Debug)]
pub struct Order {
    pub by: ActionSortField,
    pub order: SortOrder,
}

impl Default for Order {
    fn default() -> Self {
        Order { by: ActionSortField::CreatedAt, order: SortOrder::Asc }
    }
}

impl Order {
    /// The order from optional query parameters.
    pub fn from_query(by: Option<ActionSortField>, order: Option<SortOrder>) -> Self {
        Order { by: by.unwrap_or(ActionSortField::CreatedAt), order: order.unwrap_or(SortOrder::Asc) }
    }

    fn sql(self) -> String {
        let column = match self.by {
            ActionSortField::DueBy => "a.due_by",
            ActionSortField::CreatedAt => "a.created_at",
            ActionSortField::UpdatedAt => "a.updated_at",
        };
        let direction = match self.order {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        // Actions without a due date go last either way.
        format!("{column} IS NULL, {column} {direction}, a.created_at ASC, a.id ASC")
    }
}

/// Reads actions with their assignees (two queries, whatever the number of actions).
async fn with_assignees(db: &mut SqliteConnection, rows: Vec<SqliteRow>) -> Result<Vec<Action>, sqlx::Error> {
    let ids: Vec<String> = rows.iter().map(|row| row.try_get::<String, _>("id")).collect::<Result<_, _>>()?;
    let mut assignees: std::collections::HashMap<String, Vec<UserId>> = std::collections::HashMap::new();
    if !ids.is_empty() {
        let json = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        let pairs = sqlx::query(
            "SELECT action_id, user_id FROM action_assignees WHERE action_id IN (SELECT value FROM json_each(?))
             ORDER BY user_id",
        )
        .bind(json)
        .fetch_all(&mut *db)
        .await?;
        for pair in &pairs {
            let action: String = pair.try_get("action_id")?;
            assignees.entry(action).or_default().push(id(pair, "user_id")?);
        }
    }
    rows.iter()
        .zip(ids)
        .map(|(row, action_id)| from_row(row, assignees.remove(&action_id).unwrap_or_default()))
        .collect()
}

/// The actions of one session.
pub async fn of_session(
    db: &mut SqliteConnection,
    session: CoachingSessionId,
    order: Order,
) -> Result<Vec<Action>, sqlx::Error> {
    let rows =
        sqlx::query(&format!("SELECT a.* FROM actions a WHERE a.coaching_session_id = ? ORDER BY {}", order.sql()))
            .bind(session.to_string())
            .fetch_all(&mut *db)
            .await?;
    with_assignees(db, rows).await
}

/// One action.
pub async fn by_id(db: &mut SqliteConnection, action: ActionId) -> Result<Option<Action>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT a.* FROM actions a WHERE a.id = ?").bind(action.to_string()).fetch_all(&mut *db).await?;
    Ok(with_assignees(db, rows).await?.pop())
}

/// Filters of a person's action list.
pub struct UserActionFilter {
    /// Whose actions: those assigned to this person.
    pub assignee: UserId,
    /// Only in relationships where this person takes part (the viewer) while a member.
    pub viewer: UserId,
    /// When the viewer is the assignee's coach: only the relationships they coach.
    pub coached_by_viewer: bool,
    pub relationship: Option<CoachingRelationshipId>,
    pub status: Option<Status>,
    pub order: Order,
}

/// The actions assigned to a person, across the sessions the viewer may see.
pub async fn of_user(db: &mut SqliteConnection, filter: &UserActionFilter) -> Result<Vec<Action>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT a.* FROM actions a
         JOIN action_assignees aa ON aa.action_id = a.id AND aa.user_id = ?1
         JOIN coaching_sessions s ON s.id = a.coaching_session_id
         JOIN coaching_relationships r ON r.id = s.coaching_relationship_id
         WHERE (r.coach_id = ?2 OR (?3 = 0 AND r.coachee_id = ?2))
           AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = ?2)
           AND (?4 IS NULL OR r.id = ?4)
           AND (?5 IS NULL OR a.status = ?5)
         ORDER BY {}
         LIMIT {}",
        filter.order.sql(),
        super::LIST_MAX
    ))
    .bind(filter.assignee.to_string())
    .bind(filter.viewer.to_string())
    .bind(filter.coached_by_viewer)
    .bind(filter.relationship.map(|r| r.to_string()))
    .bind(filter.status.as_ref().map(wire_text))
    .fetch_all(&mut *db)
    .await?;
    with_assignees(db, rows).await
}

/// Replaces an action's fields (and its assignees when given). Run it inside a transaction.
pub async fn update(
    db: &mut SqliteConnection,
    action: ActionId,
    fields: &ActionFields<'_>,
    replace_assignees: bool,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE actions SET body = ?, due_by = ?, goal_id = ?, updated_at = ?,
            status_changed_at = CASE WHEN status = ? THEN status_changed_at ELSE ? END,
            status = ?
         WHERE id = ?",
    )
    .bind(fields.body)
    .bind(fields.due_by)
    .bind(fields.goal_id.map(|g| g.to_string()))
    .bind(now)
    .bind(wire_text(&fields.status))
    .bind(now)
    .bind(wire_text(&fields.status))
    .bind(action.to_string())
    .execute(&mut *db)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if replace_assignees {
        sqlx::query("DELETE FROM action_assignees WHERE action_id = ?")
            .bind(action.to_string())
            .execute(&mut *db)
            .await?;
        add_assignees(db, action, fields.assignee_ids).await?;
    }
    Ok(true)
}

/// Deletes an action.
pub async fn delete(db: impl SqliteExecutor<'_>, action: ActionId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM actions WHERE id = ?").bind(action.to_string()).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

//! Actions and their assignees.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use tandem_protocol::{
    Action, ActionId, ActionSortField, CoachingRelationshipId, CoachingSessionId, GoalId, SortOrder, Status, UserId,
};

use super::{count_where, dialect, new_id, refused_update, Conn, Db, Edit, Updated, EDITED_OR_AUTHORED, LIST_MAX};

/// The fields a person sets on an action.
pub struct ActionFields<'a> {
    pub body: Option<&'a str>,
    pub due_by: Option<DateTime<Utc>>,
    pub status: Status,
    pub goal_id: Option<GoalId>,
    pub assignee_ids: &'a [UserId],
}

/// Creates an action with its assignees. Run it inside a transaction.
pub async fn insert(
    db: &mut Conn,
    session: CoachingSessionId,
    author: UserId,
    fields: &ActionFields<'_>,
    now: DateTime<Utc>,
) -> Result<ActionId, sqlx::Error> {
    let action: ActionId = new_id();
    sqlx::query(
        "INSERT INTO actions (id, coaching_session_id, goal_id, user_id, body, due_by, status, status_changed_at,
            created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(action)
    .bind(session)
    .bind(fields.goal_id)
    .bind(author)
    .bind(fields.body)
    .bind(fields.due_by)
    .bind(fields.status)
    .bind(now)
    .bind(now)
    .bind(now)
    .execute(&mut *db)
    .await?;
    add_assignees(db, action, fields.assignee_ids).await?;
    Ok(action)
}

/// Assigns the action to each of `assignees` (repeats are ignored).
async fn add_assignees(db: &mut Conn, action: ActionId, assignees: &[UserId]) -> Result<(), sqlx::Error> {
    for assignee in assignees {
        sqlx::query("INSERT INTO action_assignees (action_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(action)
            .bind(assignee)
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

/// An action as stored: the wire type less its assignees, rows of their own
/// (`action_assignees`).
#[derive(sqlx::FromRow)]
struct ActionRow {
    id: ActionId,
    coaching_session_id: CoachingSessionId,
    goal_id: Option<GoalId>,
    user_id: UserId,
    body: Option<String>,
    due_by: Option<DateTime<Utc>>,
    status: Status,
    status_changed_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl ActionRow {
    fn into_action(self, assignee_ids: Vec<UserId>) -> Action {
        Action {
            id: self.id,
            coaching_session_id: self.coaching_session_id,
            goal_id: self.goal_id,
            user_id: self.user_id,
            body: self.body,
            due_by: self.due_by,
            status: self.status,
            status_changed_at: self.status_changed_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            assignee_ids,
        }
    }
}

/// The actions of `rows` with their assignees (one query, whatever their number).
async fn with_assignees(db: &mut Conn, rows: Vec<ActionRow>) -> Result<Vec<Action>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let pairs: Vec<(ActionId, UserId)> = sqlx::query_as(&format!(
        "SELECT action_id, user_id FROM action_assignees WHERE {} ORDER BY user_id",
        dialect::in_ids("action_id", 1)
    ))
    .bind(dialect::id_list(rows.iter().map(|row| row.id.0)))
    .fetch_all(&mut *db)
    .await?;
    let mut assignees: HashMap<ActionId, Vec<UserId>> = HashMap::new();
    for (action, user) in pairs {
        assignees.entry(action).or_default().push(user);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let assignee_ids = assignees.remove(&row.id).unwrap_or_default();
            row.into_action(assignee_ids)
        })
        .collect())
}

/// The actions of one session.
pub async fn of_session(db: &mut Conn, session: CoachingSessionId, order: Order) -> Result<Vec<Action>, sqlx::Error> {
    let rows =
        sqlx::query_as(&format!("SELECT a.* FROM actions a WHERE a.coaching_session_id = $1 ORDER BY {}", order.sql()))
            .bind(session)
            .fetch_all(&mut *db)
            .await?;
    with_assignees(db, rows).await
}

/// The ids of a goal's actions.
pub async fn ids_of_goal(db: &mut Conn, goal: GoalId) -> Result<Vec<ActionId>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM actions WHERE goal_id = $1 ORDER BY created_at").bind(goal).fetch_all(db).await
}

/// Points the action at `goal` again (restoring a deleted goal), if it has none now.
pub async fn relink_goal(db: &mut Conn, action: ActionId, goal: GoalId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE actions SET goal_id = $1 WHERE id = $2 AND goal_id IS NULL")
        .bind(goal)
        .bind(action)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One action.
pub async fn by_id(db: &mut Conn, action: ActionId) -> Result<Option<Action>, sqlx::Error> {
    let rows = sqlx::query_as("SELECT a.* FROM actions a WHERE a.id = $1").bind(action).fetch_all(&mut *db).await?;
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
pub async fn of_user(db: &mut Conn, filter: &UserActionFilter) -> Result<Vec<Action>, sqlx::Error> {
    let rows = sqlx::query_as(&format!(
        "SELECT a.* FROM actions a
         JOIN action_assignees aa ON aa.action_id = a.id AND aa.user_id = $1
         JOIN coaching_sessions s ON s.id = a.coaching_session_id
         JOIN coaching_relationships r ON r.id = s.coaching_relationship_id
         WHERE (r.coach_id = $2 OR (NOT $3 AND r.coachee_id = $2))
           AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = $2)
           AND ($4 IS NULL OR r.id = $4)
           AND ($5 IS NULL OR a.status = $5)
         ORDER BY {}
         LIMIT {}",
        filter.order.sql(),
        LIST_MAX
    ))
    .bind(filter.assignee)
    .bind(filter.viewer)
    .bind(filter.coached_by_viewer)
    .bind(filter.relationship)
    .bind(filter.status)
    .fetch_all(&mut *db)
    .await?;
    with_assignees(db, rows).await
}

/// Replaces an action's fields (and its assignees when given). Run it inside a transaction.
pub async fn update(
    db: &mut Conn,
    action: ActionId,
    fields: &ActionFields<'_>,
    replace_assignees: bool,
    edit: Edit,
) -> Result<Updated, sqlx::Error> {
    let sql = format!(
        "UPDATE actions SET body = $1, due_by = $2, goal_id = $3, updated_at = $4, updated_by = $5,
            status_changed_at = CASE WHEN status = $6 THEN status_changed_at ELSE $4 END,
            status = $6
         WHERE id = $7{}",
        edit.version_clause(8)
    );
    let query = sqlx::query(&sql)
        .bind(fields.body)
        .bind(fields.due_by)
        .bind(fields.goal_id)
        .bind(edit.at)
        .bind(edit.by)
        .bind(fields.status)
        .bind(action);
    let done = edit.bind_version(query).execute(&mut *db).await?;
    let updated = refused_update(db, "actions", EDITED_OR_AUTHORED, action, done.rows_affected()).await?;
    if updated == Updated::Done && replace_assignees {
        sqlx::query("DELETE FROM action_assignees WHERE action_id = $1").bind(action).execute(&mut *db).await?;
        add_assignees(db, action, fields.assignee_ids).await?;
    }
    Ok(updated)
}

/// How many actions a session holds (for its quota).
pub async fn count_in_session(db: &mut Conn, session: CoachingSessionId) -> Result<usize, sqlx::Error> {
    count_where(db, "actions", "coaching_session_id", session).await
}

/// Deletes an action.
pub async fn delete(db: impl sqlx::Executor<'_, Database = Db>, action: ActionId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM actions WHERE id = $1").bind(action).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

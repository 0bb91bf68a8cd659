//! Goals of a coaching relationship, and their links to sessions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{
    CoachingRelationshipId, CoachingSessionGoal, CoachingSessionGoalId, CoachingSessionId, Goal, GoalId, GoalSummary,
    Status, UserId,
};

use super::new_id;
use super::row::{id, opt_id, wire, wire_text};

/// The fields a person sets on a goal.
pub struct GoalFields<'a> {
    pub title: Option<&'a str>,
    pub body: Option<&'a str>,
    pub status: Status,
    pub target_date: Option<NaiveDate>,
    pub created_in_session_id: Option<CoachingSessionId>,
}

pub fn from_row(row: &SqliteRow) -> Result<Goal, sqlx::Error> {
    Ok(Goal {
        id: id(row, "id")?,
        coaching_relationship_id: id(row, "coaching_relationship_id")?,
        created_in_session_id: opt_id(row, "created_in_session_id")?,
        user_id: id(row, "user_id")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        status: wire(row, "status")?,
        status_changed_at: row.try_get("status_changed_at")?,
        completed_at: row.try_get("completed_at")?,
        target_date: row.try_get("target_date")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// Creates a goal.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    relationship: CoachingRelationshipId,
    author: UserId,
    fields: &GoalFields<'_>,
    now: DateTime<Utc>,
) -> Result<GoalId, sqlx::Error> {
    let goal: GoalId = new_id();
    let completed_at = (fields.status == Status::Completed).then_some(now);
    sqlx::query(
        "INSERT INTO goals (id, coaching_relationship_id, created_in_session_id, user_id, title, body, status,
            status_changed_at, completed_at, target_date, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(goal.to_string())
    .bind(relationship.to_string())
    .bind(fields.created_in_session_id.map(|s| s.to_string()))
    .bind(author.to_string())
    .bind(fields.title)
    .bind(fields.body)
    .bind(wire_text(&fields.status))
    .bind(now)
    .bind(completed_at)
    .bind(fields.target_date)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(goal)
}

/// Links a goal to a session it is worked on in.
pub async fn link(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    goal: GoalId,
    now: DateTime<Utc>,
) -> Result<CoachingSessionGoal, sqlx::Error> {
    let link: CoachingSessionGoalId = new_id();
    sqlx::query(
        "INSERT INTO coaching_session_goals (id, coaching_session_id, goal_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(link.to_string())
    .bind(session.to_string())
    .bind(goal.to_string())
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(CoachingSessionGoal { id: link, coaching_session_id: session, goal_id: goal, created_at: now, updated_at: now })
}

/// Removes a goal's link to a session; returns whether there was one.
pub async fn unlink(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    goal: GoalId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM coaching_session_goals WHERE coaching_session_id = ? AND goal_id = ?")
        .bind(session.to_string())
        .bind(goal.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the goal is linked to the session.
pub async fn is_linked(
    db: impl SqliteExecutor<'_>,
    session: CoachingSessionId,
    goal: GoalId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM coaching_session_goals WHERE coaching_session_id = ? AND goal_id = ?")
            .bind(session.to_string())
            .bind(goal.to_string())
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// The goals linked to a session, in link order.
pub async fn linked_to(db: impl SqliteExecutor<'_>, session: CoachingSessionId) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query(
        "SELECT g.* FROM goals g JOIN coaching_session_goals l ON l.goal_id = g.id
         WHERE l.coaching_session_id = ? ORDER BY l.created_at, g.id",
    )
    .bind(session.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The goals of a relationship, optionally of one status, oldest first.
pub async fn of_relationship(
    db: impl SqliteExecutor<'_>,
    relationship: CoachingRelationshipId,
    status: Option<Status>,
) -> Result<Vec<Goal>, sqlx::Error> {
    let status = status.as_ref().map(wire_text);
    sqlx::query("SELECT * FROM goals WHERE coaching_relationship_id = ?1 AND (?2 IS NULL OR status = ?2) ORDER BY created_at, id")
        .bind(relationship.to_string())
        .bind(status)
        .fetch_all(db)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// One goal.
pub async fn by_id(db: impl SqliteExecutor<'_>, goal: GoalId) -> Result<Option<Goal>, sqlx::Error> {
    sqlx::query("SELECT * FROM goals WHERE id = ?")
        .bind(goal.to_string())
        .fetch_optional(db)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The in-progress goals of a relationship other than `except`.
pub async fn in_progress(
    db: impl SqliteExecutor<'_>,
    relationship: CoachingRelationshipId,
    except: Option<GoalId>,
) -> Result<Vec<GoalSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title FROM goals WHERE coaching_relationship_id = ?1 AND status = 'InProgress' AND (?2 IS NULL OR id <> ?2)
         ORDER BY created_at, id",
    )
    .bind(relationship.to_string())
    .bind(except.map(|g| g.to_string()))
    .fetch_all(db)
    .await?;
    rows.iter().map(|row| Ok(GoalSummary { id: id(row, "id")?, title: row.try_get("title")? })).collect()
}

/// Replaces a goal's fields; keeps `status_changed_at` and `completed_at` true to the status.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    goal: GoalId,
    fields: &GoalFields<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE goals SET title = ?1, body = ?2, target_date = ?3, created_in_session_id = ?4, updated_at = ?5,
            status_changed_at = CASE WHEN status = ?6 THEN status_changed_at ELSE ?5 END,
            completed_at = CASE WHEN ?6 = 'Completed' THEN COALESCE(completed_at, ?5) ELSE NULL END,
            status = ?6
         WHERE id = ?7",
    )
    .bind(fields.title)
    .bind(fields.body)
    .bind(fields.target_date)
    .bind(fields.created_in_session_id.map(|s| s.to_string()))
    .bind(now)
    .bind(wire_text(&fields.status))
    .bind(goal.to_string())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets only the status (linking promotes a goal to in progress).
pub async fn set_status(
    db: impl SqliteExecutor<'_>,
    goal: GoalId,
    status: Status,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE goals SET status = ?1, status_changed_at = ?2, updated_at = ?2,
            completed_at = CASE WHEN ?1 = 'Completed' THEN ?2 ELSE NULL END
         WHERE id = ?3",
    )
    .bind(wire_text(&status))
    .bind(now)
    .bind(goal.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes a goal (its links go with it; actions keep existing without it).
pub async fn delete(db: impl SqliteExecutor<'_>, goal: GoalId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM goals WHERE id = ?").bind(goal.to_string()).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

//! Goals of a coaching relationship, and their links to sessions.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{CoachingRelationshipId, CoachingSessionId, Goal, GoalId, Status, UserId};

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
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO coaching_session_goals (id, coaching_session_id, goal_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
        .bind(new_id::<uuid::Uuid>().to_string())
        .bind(session.to_string())
        .bind(goal.to_string())
        .bind(now)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

//! Goals of a coaching relationship, and their links to sessions.

use chrono::{DateTime, NaiveDate, Utc};
use tandem_protocol::{
    CoachingRelationshipId, CoachingSessionGoal, CoachingSessionGoalId, CoachingSessionId, Goal, GoalId, GoalSummary,
    Status, UserId,
};

use super::{count_where, new_id, refused_update, Conn, Db, Edit, Updated, EDITED_OR_AUTHORED};

/// The fields a person sets on a goal.
pub struct GoalFields<'a> {
    pub title: Option<&'a str>,
    pub body: Option<&'a str>,
    pub status: Status,
    pub target_date: Option<NaiveDate>,
    pub created_in_session_id: Option<CoachingSessionId>,
}

/// Creates a goal.
pub async fn insert(
    db: impl sqlx::Executor<'_, Database = Db>,
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
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(goal)
    .bind(relationship)
    .bind(fields.created_in_session_id)
    .bind(author)
    .bind(fields.title)
    .bind(fields.body)
    .bind(fields.status)
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
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    goal: GoalId,
    now: DateTime<Utc>,
) -> Result<CoachingSessionGoal, sqlx::Error> {
    let link: CoachingSessionGoalId = new_id();
    sqlx::query(
        "INSERT INTO coaching_session_goals (id, coaching_session_id, goal_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(link)
    .bind(session)
    .bind(goal)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(CoachingSessionGoal { id: link, coaching_session_id: session, goal_id: goal, created_at: now, updated_at: now })
}

/// Removes a goal's link to a session; returns whether there was one.
pub async fn unlink(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    goal: GoalId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM coaching_session_goals WHERE coaching_session_id = $1 AND goal_id = $2")
        .bind(session)
        .bind(goal)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the goal is linked to the session.
pub async fn is_linked(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
    goal: GoalId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM coaching_session_goals WHERE coaching_session_id = $1 AND goal_id = $2)",
    )
    .bind(session)
    .bind(goal)
    .fetch_one(db)
    .await
}

/// The sessions a goal is linked to.
pub async fn linked_sessions(db: &mut Conn, goal: GoalId) -> Result<Vec<CoachingSessionId>, sqlx::Error> {
    sqlx::query_scalar("SELECT coaching_session_id FROM coaching_session_goals WHERE goal_id = $1 ORDER BY created_at")
        .bind(goal)
        .fetch_all(db)
        .await
}

/// The goals linked to a session, in link order.
pub async fn linked_to(
    db: impl sqlx::Executor<'_, Database = Db>,
    session: CoachingSessionId,
) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT g.* FROM goals g JOIN coaching_session_goals l ON l.goal_id = g.id
         WHERE l.coaching_session_id = $1 ORDER BY l.created_at, g.id",
    )
    .bind(session)
    .fetch_all(db)
    .await
}

/// The goals of a relationship, optionally of one status, oldest first.
pub async fn of_relationship(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
    status: Option<Status>,
) -> Result<Vec<Goal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT * FROM goals WHERE coaching_relationship_id = $1 AND ($2 IS NULL OR status = $2) ORDER BY created_at, id",
    )
    .bind(relationship)
    .bind(status)
    .fetch_all(db)
    .await
}

/// One goal.
pub async fn by_id(db: impl sqlx::Executor<'_, Database = Db>, goal: GoalId) -> Result<Option<Goal>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM goals WHERE id = $1").bind(goal).fetch_optional(db).await
}

/// The in-progress goals of a relationship other than `except`.
pub async fn in_progress(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
    except: Option<GoalId>,
) -> Result<Vec<GoalSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, title FROM goals WHERE coaching_relationship_id = $1 AND status = 'InProgress' AND ($2 IS NULL OR id <> $2)
         ORDER BY created_at, id",
    )
    .bind(relationship)
    .bind(except)
    .fetch_all(db)
    .await
}

/// Replaces a goal's fields; keeps `status_changed_at` and `completed_at` true to the status.
pub async fn update(db: &mut Conn, goal: GoalId, fields: &GoalFields<'_>, edit: Edit) -> Result<Updated, sqlx::Error> {
    let sql = format!(
        "UPDATE goals SET title = $1, body = $2, target_date = $3, created_in_session_id = $4, updated_at = $5,
            status_changed_at = CASE WHEN status = $6 THEN status_changed_at ELSE $5 END,
            completed_at = CASE WHEN $6 = 'Completed' THEN COALESCE(completed_at, $5) ELSE NULL END,
            status = $6, updated_by = $7
         WHERE id = $8{}",
        edit.version_clause(9)
    );
    let query = sqlx::query(&sql)
        .bind(fields.title)
        .bind(fields.body)
        .bind(fields.target_date)
        .bind(fields.created_in_session_id)
        .bind(edit.at)
        .bind(fields.status)
        .bind(edit.by)
        .bind(goal);
    let done = edit.bind_version(query).execute(&mut *db).await?;
    refused_update(db, "goals", EDITED_OR_AUTHORED, goal, done.rows_affected()).await
}

/// How many goals a relationship holds (for its quota).
pub async fn count_in_relationship(db: &mut Conn, relationship: CoachingRelationshipId) -> Result<usize, sqlx::Error> {
    count_where(db, "goals", "coaching_relationship_id", relationship).await
}

/// Sets only the status (linking promotes a goal to in progress).
pub async fn set_status(
    db: impl sqlx::Executor<'_, Database = Db>,
    goal: GoalId,
    status: Status,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE goals SET status = $1, status_changed_at = $2, updated_at = $2,
            completed_at = CASE WHEN $1 = 'Completed' THEN $2 ELSE NULL END
         WHERE id = $3",
    )
    .bind(status)
    .bind(now)
    .bind(goal)
    .execute(db)
    .await?;
    Ok(())
}

/// Deletes a goal (its links go with it; actions keep existing without it).
pub async fn delete(db: impl sqlx::Executor<'_, Database = Db>, goal: GoalId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM goals WHERE id = $1").bind(goal).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

//! What a delete took away, kept a while so that undo restores the same item (same id, same
//! links) [extension]. The item is kept as its wire JSON, its links beside it; restoring
//! writes them back as they were at the delete, which includes every change made before it.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tandem_protocol::{Action, ActionId, Agreement, CoachingRelationshipId, CoachingSessionId, Goal, UserId};
use uuid::Uuid;

use super::{Conn, Db};

/// Which kind of item a kept delete is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Action,
    Agreement,
    Goal,
}

impl Kind {
    const fn as_str(self) -> &'static str {
        match self {
            Kind::Action => "action",
            Kind::Agreement => "agreement",
            Kind::Goal => "goal",
        }
    }
}

/// A goal's links: the sessions it was worked on in, and its actions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GoalLinks {
    pub sessions: Vec<CoachingSessionId>,
    pub actions: Vec<ActionId>,
}

/// Keeps what a delete takes away (replacing an older delete of the same id).
pub async fn keep<T: Serialize, L: Serialize>(
    db: &mut Conn,
    kind: Kind,
    id: Uuid,
    relationship: CoachingRelationshipId,
    (item, links): (&T, &L),
    by: UserId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let item = serde_json::to_string(item).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let links = serde_json::to_string(links).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("DELETE FROM deleted_items WHERE id = $1").bind(id).execute(&mut *db).await?;
    sqlx::query(
        "INSERT INTO deleted_items (id, kind, coaching_relationship_id, item, links, deleted_by, deleted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(kind.as_str())
    .bind(relationship)
    .bind(item)
    .bind(links)
    .bind(by)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// A kept delete.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept<T, L> {
    pub relationship: CoachingRelationshipId,
    pub item: T,
    pub links: L,
}

/// The relationship of a kept delete of `kind` (for the access check before the write).
pub async fn relationship_of(
    db: impl sqlx::Executor<'_, Database = Db>,
    kind: Kind,
    id: Uuid,
) -> Result<Option<CoachingRelationshipId>, sqlx::Error> {
    sqlx::query_scalar("SELECT coaching_relationship_id FROM deleted_items WHERE id = $1 AND kind = $2")
        .bind(id)
        .bind(kind.as_str())
        .fetch_optional(db)
        .await
}

/// Takes a kept delete of `kind` out (it is gone once restored); None when there is none.
pub async fn take<T: DeserializeOwned, L: DeserializeOwned>(
    db: &mut Conn,
    kind: Kind,
    id: Uuid,
) -> Result<Option<Kept<T, L>>, sqlx::Error> {
    let row: Option<(CoachingRelationshipId, String, String)> = sqlx::query_as(
        "SELECT coaching_relationship_id, item, links FROM deleted_items WHERE id = $1 AND kind = $2",
    )
    .bind(id)
    .bind(kind.as_str())
    .fetch_optional(&mut *db)
    .await?;
    let Some((relationship, item, links)) = row else { return Ok(None) };
    sqlx::query("DELETE FROM deleted_items WHERE id = $1").bind(id).execute(&mut *db).await?;
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    Ok(Some(Kept {
        relationship,
        item: serde_json::from_str(&item).map_err(decode)?,
        links: serde_json::from_str(&links).map_err(decode)?,
    }))
}

/// Forgets deletes older than `before`.
pub async fn forget(db: impl sqlx::Executor<'_, Database = Db>, before: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM deleted_items WHERE deleted_at < $1").bind(before).execute(db).await?;
    Ok(done.rows_affected())
}

/// Writes a deleted action back, with the assignees of `assignees` (those still taking part).
pub async fn restore_action(
    db: &mut Conn,
    action: &Action,
    assignees: &[UserId],
    now: DateTime<Utc>,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO actions (id, coaching_session_id, goal_id, user_id, body, due_by, status, status_changed_at,
            created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(action.id)
    .bind(action.coaching_session_id)
    .bind(action.goal_id)
    .bind(action.user_id)
    .bind(&action.body)
    .bind(action.due_by)
    .bind(action.status)
    .bind(action.status_changed_at)
    .bind(action.created_at)
    .bind(now)
    .bind(by)
    .execute(&mut *db)
    .await?;
    for assignee in assignees {
        sqlx::query("INSERT INTO action_assignees (action_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(action.id)
            .bind(assignee)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}

/// Writes a deleted agreement back.
pub async fn restore_agreement(
    db: &mut Conn,
    agreement: &Agreement,
    now: DateTime<Utc>,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO agreements (id, coaching_session_id, body, user_id, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(agreement.id)
    .bind(agreement.coaching_session_id)
    .bind(&agreement.body)
    .bind(agreement.user_id)
    .bind(agreement.created_at)
    .bind(now)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

/// Writes a deleted goal back (its links are the caller's: they may have gone meanwhile).
pub async fn restore_goal(db: &mut Conn, goal: &Goal, now: DateTime<Utc>, by: UserId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO goals (id, coaching_relationship_id, created_in_session_id, user_id, title, body, status,
            status_changed_at, completed_at, target_date, created_at, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(goal.id)
    .bind(goal.coaching_relationship_id)
    .bind(goal.created_in_session_id)
    .bind(goal.user_id)
    .bind(&goal.title)
    .bind(&goal.body)
    .bind(goal.status)
    .bind(goal.status_changed_at)
    .bind(goal.completed_at)
    .bind(goal.target_date)
    .bind(goal.created_at)
    .bind(now)
    .bind(by)
    .execute(db)
    .await?;
    Ok(())
}

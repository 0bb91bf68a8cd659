//! Coaching relationships, with the names of both people as the API shows them.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{CoachingRelationship, CoachingRelationshipId, OrganizationId, UserId};

use super::new_id;
use super::row::id;

const SELECT: &str = "SELECT r.id, r.organization_id, r.coach_id, r.coachee_id, r.created_at, r.updated_at,
        coach.first_name AS coach_first_name, coach.last_name AS coach_last_name,
        coachee.first_name AS coachee_first_name, coachee.last_name AS coachee_last_name
    FROM coaching_relationships r
    JOIN users coach ON coach.id = r.coach_id
    JOIN users coachee ON coachee.id = r.coachee_id";

fn from_row(row: &SqliteRow) -> Result<CoachingRelationship, sqlx::Error> {
    Ok(CoachingRelationship {
        id: id(row, "id")?,
        coach_id: id(row, "coach_id")?,
        coachee_id: id(row, "coachee_id")?,
        coach_first_name: row.try_get("coach_first_name")?,
        coach_last_name: row.try_get("coach_last_name")?,
        coachee_first_name: row.try_get("coachee_first_name")?,
        coachee_last_name: row.try_get("coachee_last_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The relationships of an organization; only those `participant` takes part in, unless None.
pub async fn of_organization(
    db: impl SqliteExecutor<'_>,
    organization: OrganizationId,
    participant: Option<UserId>,
) -> Result<Vec<CoachingRelationship>, sqlx::Error> {
    let participant = participant.map(|p| p.to_string());
    sqlx::query(&format!(
        "{SELECT} WHERE r.organization_id = ?1 AND (?2 IS NULL OR r.coach_id = ?2 OR r.coachee_id = ?2)
         ORDER BY coachee.first_name, coachee.last_name, coach.first_name"
    ))
    .bind(organization.to_string())
    .bind(participant)
    .fetch_all(db)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Creates a relationship between a coach and a coachee of one organization.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    organization: OrganizationId,
    coach: UserId,
    coachee: UserId,
    now: DateTime<Utc>,
) -> Result<CoachingRelationshipId, sqlx::Error> {
    let relationship: CoachingRelationshipId = new_id();
    sqlx::query(
        "INSERT INTO coaching_relationships (id, organization_id, coach_id, coachee_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(relationship.to_string())
    .bind(organization.to_string())
    .bind(coach.to_string())
    .bind(coachee.to_string())
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(relationship)
}

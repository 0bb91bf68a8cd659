//! Coaching relationships, with the names of both people as the API shows them.

use chrono::{DateTime, Utc};
use tandem_protocol::{CoachingRelationship, CoachingRelationshipId, OrganizationId, RelationshipSide, UserId};

use super::{dialect, new_id, Db};

const SELECT: &str = "SELECT r.id, r.organization_id, r.coach_id, r.coachee_id, r.created_at, r.updated_at,
        coach.first_name AS coach_first_name, coach.last_name AS coach_last_name,
        coachee.first_name AS coachee_first_name, coachee.last_name AS coachee_last_name
    FROM coaching_relationships r
    JOIN users coach ON coach.id = r.coach_id
    JOIN users coachee ON coachee.id = r.coachee_id";

/// The relationships of an organization; only those `participant` takes part in, unless None.
pub async fn of_organization(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    participant: Option<UserId>,
) -> Result<Vec<CoachingRelationship>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE r.organization_id = $1 AND ($2 IS NULL OR r.coach_id = $2 OR r.coachee_id = $2)
         ORDER BY coachee.first_name, coachee.last_name, coach.first_name"
    ))
    .bind(organization)
    .bind(participant)
    .fetch_all(db)
    .await
}

/// Creates a relationship between a coach and a coachee of one organization.
pub async fn insert(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    coach: UserId,
    coachee: UserId,
    now: DateTime<Utc>,
) -> Result<CoachingRelationshipId, sqlx::Error> {
    let relationship: CoachingRelationshipId = new_id();
    sqlx::query(
        "INSERT INTO coaching_relationships (id, organization_id, coach_id, coachee_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(relationship)
    .bind(organization)
    .bind(coach)
    .bind(coachee)
    .bind(now)
    .execute(db)
    .await?;
    Ok(relationship)
}

/// The two people of a relationship and whether each is still a member of its organization.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct Participants {
    #[sqlx(rename = "id")]
    pub relationship_id: CoachingRelationshipId,
    pub organization_id: OrganizationId,
    pub coach_id: UserId,
    pub coachee_id: UserId,
    pub coach_is_member: bool,
    pub coachee_is_member: bool,
}

impl Participants {
    /// Whether `user` takes part (as coach or coachee) and is still an organization member.
    pub fn includes(&self, user: UserId) -> bool {
        (user == self.coach_id && self.coach_is_member) || (user == self.coachee_id && self.coachee_is_member)
    }

    /// Whether `user` is the coach (and still a member).
    pub fn is_coach(&self, user: UserId) -> bool {
        user == self.coach_id && self.coach_is_member
    }

    /// Who receives the events of this relationship.
    pub fn recipients(&self) -> Vec<UserId> {
        let mut recipients = Vec::with_capacity(2);
        if self.coach_is_member {
            recipients.push(self.coach_id);
        }
        if self.coachee_is_member {
            recipients.push(self.coachee_id);
        }
        recipients
    }
}

/// The participants of a relationship, if it exists.
pub async fn participants(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
) -> Result<Option<Participants>, sqlx::Error> {
    participants_where(db, relationship, "").await
}

/// The participants of a relationship, read inside a write transaction: the relationship's
/// row stays locked until the transaction ends ([`dialect::FOR_UPDATE`]), so the writes of
/// one relationship take turns and its checks (access, the goal limit, quotas) still hold
/// when it commits.
pub async fn participants_for_write(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
) -> Result<Option<Participants>, sqlx::Error> {
    participants_where(db, relationship, dialect::FOR_UPDATE).await
}

async fn participants_where(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
    lock: &str,
) -> Result<Option<Participants>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.organization_id, r.coach_id, r.coachee_id,
            EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = r.coach_id) AS coach_is_member,
            EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = r.coachee_id) AS coachee_is_member
         FROM coaching_relationships r WHERE r.id = $1{lock}"
    ))
    .bind(relationship)
    .fetch_optional(db)
    .await
}

/// The relationships in which `coach` coaches `coachee` (while both are members).
pub async fn coached_by(
    db: impl sqlx::Executor<'_, Database = Db>,
    coach: UserId,
    coachee: UserId,
) -> Result<Vec<CoachingRelationshipId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.id FROM coaching_relationships r
         WHERE r.coach_id = $1 AND r.coachee_id = $2
           AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = $1)
           AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = $2)",
    )
    .bind(coach)
    .bind(coachee)
    .fetch_all(db)
    .await
}

/// One relationship with both people's names.
pub async fn with_names(
    db: impl sqlx::Executor<'_, Database = Db>,
    relationship: CoachingRelationshipId,
) -> Result<Option<CoachingRelationship>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE r.id = $1")).bind(relationship).fetch_optional(db).await
}

/// The relationship of this coach and coachee in an organization, if there is one.
pub async fn find(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    coach: UserId,
    coachee: UserId,
) -> Result<Option<CoachingRelationshipId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM coaching_relationships WHERE organization_id = $1 AND coach_id = $2 AND coachee_id = $3",
    )
    .bind(organization)
    .bind(coach)
    .bind(coachee)
    .fetch_optional(db)
    .await
}

/// The relationships `user` takes part in, as coach, as coachee or either, in every
/// organization they are still a member of.
pub async fn of_user(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    side: RelationshipSide,
) -> Result<Vec<CoachingRelationship>, sqlx::Error> {
    let side = match side {
        RelationshipSide::All => "(r.coach_id = $1 OR r.coachee_id = $1)",
        RelationshipSide::Coach => "r.coach_id = $1",
        RelationshipSide::Coachee => "r.coachee_id = $1",
    };
    sqlx::query_as(&format!(
        "{SELECT} WHERE {side}
           AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = r.organization_id AND m.user_id = $1)
         ORDER BY coachee.first_name, coachee.last_name, coach.first_name"
    ))
    .bind(user)
    .fetch_all(db)
    .await
}

/// The relationships `user` takes part in within one organization: each one's id and the
/// other person.
pub async fn partners_in(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    user: UserId,
) -> Result<Vec<(CoachingRelationshipId, UserId)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, CASE WHEN coach_id = $2 THEN coachee_id ELSE coach_id END FROM coaching_relationships
         WHERE organization_id = $1 AND (coach_id = $2 OR coachee_id = $2)",
    )
    .bind(organization)
    .bind(user)
    .fetch_all(db)
    .await
}

/// Deletes the relationships `user` takes part in within one organization (with their
/// sessions and everything in them).
pub async fn delete_of_member(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM coaching_relationships WHERE organization_id = $1 AND (coach_id = $2 OR coachee_id = $2)")
        .bind(organization)
        .bind(user)
        .execute(db)
        .await?;
    Ok(())
}

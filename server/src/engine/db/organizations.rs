//! Organizations and their members.

use chrono::{DateTime, Utc};
use tandem_protocol::{Organization, OrganizationId, UserId};

use super::{new_id, Db};

/// The organizations `user_id` is a member of, by name.
pub async fn of_member(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
) -> Result<Vec<Organization>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.* FROM organizations o JOIN organization_members m ON m.organization_id = o.id
         WHERE m.user_id = $1 ORDER BY o.name",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Whether the organization exists.
pub async fn exists(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE id = $1)")
        .bind(organization)
        .fetch_one(db)
        .await
}

/// Whether `user_id` is a member of `organization`.
pub async fn is_member(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organization_members WHERE organization_id = $1 AND user_id = $2)")
        .bind(organization)
        .bind(user_id)
        .fetch_one(db)
        .await
}

/// Creates an organization.
pub async fn insert(
    db: impl sqlx::Executor<'_, Database = Db>,
    name: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<OrganizationId, sqlx::Error> {
    let organization: OrganizationId = new_id();
    sqlx::query("INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(organization)
        .bind(name)
        .bind(slug)
        .bind(now)
        .execute(db)
        .await?;
    Ok(organization)
}

/// Makes `user_id` a member of `organization`.
pub async fn add_member(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO organization_members (organization_id, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(organization)
        .bind(user_id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

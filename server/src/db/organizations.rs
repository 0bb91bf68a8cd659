//! Organizations and their members.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor};
use tandem_protocol::{Organization, OrganizationId, UserId};

use super::new_id;
use super::row::{id, opt_id};

fn from_row(row: &SqliteRow) -> Result<Organization, sqlx::Error> {
    Ok(Organization {
        id: id(row, "id")?,
        name: row.try_get("name")?,
        logo: row.try_get("logo")?,
        slug: row.try_get("slug")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        archived_at: row.try_get("archived_at")?,
        archived_by: opt_id(row, "archived_by")?,
    })
}

/// The organizations `user_id` is a member of, by name.
pub async fn of_member(db: impl SqliteExecutor<'_>, user_id: UserId) -> Result<Vec<Organization>, sqlx::Error> {
    sqlx::query(
        "SELECT o.* FROM organizations o JOIN organization_members m ON m.organization_id = o.id
         WHERE m.user_id = ? ORDER BY o.name",
    )
    .bind(user_id.to_string())
    .fetch_all(db)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Whether the organization exists.
pub async fn exists(db: impl SqliteExecutor<'_>, organization: OrganizationId) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM organizations WHERE id = ?")
        .bind(organization.to_string())
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Whether `user_id` is a member of `organization`.
pub async fn is_member(
    db: impl SqliteExecutor<'_>,
    organization: OrganizationId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM organization_members WHERE organization_id = ? AND user_id = ?")
            .bind(organization.to_string())
            .bind(user_id.to_string())
            .fetch_optional(db)
            .await?;
    Ok(found.is_some())
}

/// Creates an organization.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    name: &str,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<OrganizationId, sqlx::Error> {
    let organization: OrganizationId = new_id();
    sqlx::query("INSERT INTO organizations (id, name, slug, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
        .bind(organization.to_string())
        .bind(name)
        .bind(slug)
        .bind(now)
        .bind(now)
        .execute(db)
        .await?;
    Ok(organization)
}

/// Makes `user_id` a member of `organization`.
pub async fn add_member(
    db: impl SqliteExecutor<'_>,
    organization: OrganizationId,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO organization_members (organization_id, user_id, created_at) VALUES (?, ?, ?)")
        .bind(organization.to_string())
        .bind(user_id.to_string())
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

//! Organizations and their members.

use chrono::{DateTime, Utc};
use tandem_protocol::{
    InviteStatus, Organization, OrganizationContents, OrganizationId, OrganizationStatus, Role, User, UserId,
    UserRole, UserRoleId,
};

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

/// One organization.
pub async fn by_id(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM organizations WHERE id = $1").bind(organization).fetch_optional(db).await
}

/// The organizations in `status`; only those `member` belongs to, unless None (everyone's).
pub async fn list(
    db: impl sqlx::Executor<'_, Database = Db>,
    status: OrganizationStatus,
    member: Option<UserId>,
) -> Result<Vec<Organization>, sqlx::Error> {
    let archived = match status {
        OrganizationStatus::Active => " AND o.archived_at IS NULL",
        OrganizationStatus::Archived => " AND o.archived_at IS NOT NULL",
        OrganizationStatus::All => "",
    };
    sqlx::query_as(&format!(
        "SELECT o.* FROM organizations o
         WHERE ($1 IS NULL OR EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.user_id = $1)){archived}
         ORDER BY o.name"
    ))
    .bind(member)
    .fetch_all(db)
    .await
}

/// Creates an organization with a logo (or none) and returns it.
pub async fn create(
    db: &mut super::Conn,
    name: &str,
    logo: Option<&str>,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Organization, sqlx::Error> {
    let organization = insert(&mut *db, name, slug, now).await?;
    sqlx::query_as("UPDATE organizations SET logo = $2 WHERE id = $1 RETURNING *")
        .bind(organization)
        .bind(logo)
        .fetch_one(db)
        .await
}

/// Renames an organization (with its new slug) and sets its logo.
pub async fn rename(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    name: &str,
    logo: Option<&str>,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as("UPDATE organizations SET name = $2, logo = $3, slug = $4, updated_at = $5 WHERE id = $1 RETURNING *")
        .bind(organization)
        .bind(name)
        .bind(logo)
        .bind(slug)
        .bind(now)
        .fetch_optional(db)
        .await
}

/// Archives (`by` = Some) or unarchives (None) an organization; archiving an archived one
/// keeps its first archiving.
pub async fn set_archived(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Option<Organization>, sqlx::Error> {
    let query = match by {
        Some(_) => {
            "UPDATE organizations SET archived_at = COALESCE(archived_at, $3), archived_by = COALESCE(archived_by, $2),
                updated_at = $3 WHERE id = $1 RETURNING *"
        }
        None => "UPDATE organizations SET archived_at = NULL, archived_by = NULL, updated_at = $3 WHERE id = $1 RETURNING *",
    };
    sqlx::query_as(query).bind(organization).bind(by).bind(now).fetch_optional(db).await
}

/// Deletes an organization.
pub async fn delete(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM organizations WHERE id = $1").bind(organization).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// Whether another organization than `except` has this name (case ignored).
pub async fn name_taken(
    db: impl sqlx::Executor<'_, Database = Db>,
    name: &str,
    except: Option<OrganizationId>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE lower(name) = lower($1) AND ($2 IS NULL OR id <> $2))")
        .bind(name)
        .bind(except)
        .fetch_one(db)
        .await
}

/// Whether a slug is taken by another organization than `except`.
pub async fn slug_taken(
    db: impl sqlx::Executor<'_, Database = Db>,
    slug: &str,
    except: Option<OrganizationId>,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM organizations WHERE slug = $1 AND ($2 IS NULL OR id <> $2))")
        .bind(slug)
        .bind(except)
        .fetch_one(db)
        .await
}

/// What an organization holds (it may be deleted only when empty).
pub async fn contents(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
) -> Result<OrganizationContents, sqlx::Error> {
    let (coaching_relationship_count, coaching_session_count, member_count): (i64, i64, i64) = sqlx::query_as(
        "SELECT
            (SELECT COUNT(*) FROM coaching_relationships WHERE organization_id = $1),
            (SELECT COUNT(*) FROM coaching_sessions s JOIN coaching_relationships r ON r.id = s.coaching_relationship_id
              WHERE r.organization_id = $1),
            (SELECT COUNT(*) FROM organization_members WHERE organization_id = $1)",
    )
    .bind(organization)
    .fetch_one(db)
    .await?;
    Ok(OrganizationContents { coaching_relationship_count, coaching_session_count, member_count })
}

/// A member as the member list shows them: the user's columns and their invite status.
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: UserId,
    email: String,
    first_name: String,
    last_name: String,
    display_name: Option<String>,
    github_username: Option<String>,
    github_profile_url: Option<String>,
    timezone: String,
    default_coaching_session_duration_minutes: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    invite_status: InviteStatus,
}

const MEMBER_SELECT: &str = "SELECT u.id, u.email, u.first_name, u.last_name, u.display_name, u.github_username,
        u.github_profile_url, u.timezone, u.default_coaching_session_duration_minutes, u.created_at, u.updated_at,
        CASE WHEN u.password_hash <> '' THEN 'active'
             WHEN EXISTS (SELECT 1 FROM account_tokens t WHERE t.user_id = u.id AND t.purpose = 'setup'
                          AND t.used_at IS NULL AND t.expires_at > $2) THEN 'pending'
             ELSE 'expired' END AS invite_status
    FROM users u JOIN organization_members m ON m.user_id = u.id";

/// The members of an organization with their roles in it and their invite status at `now`;
/// one member when `only` says which.
pub async fn members(
    db: &mut super::Conn,
    organization: OrganizationId,
    only: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Vec<User>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "{MEMBER_SELECT} WHERE m.organization_id = $1 AND ($3 IS NULL OR u.id = $3) ORDER BY u.first_name, u.last_name"
    ))
    .bind(organization)
    .bind(now)
    .bind(only)
    .fetch_all(&mut *db)
    .await?;
    let roles: Vec<UserRole> =
        sqlx::query_as("SELECT * FROM user_roles WHERE organization_id = $1 AND ($2 IS NULL OR user_id = $2) ORDER BY created_at")
            .bind(organization)
            .bind(only)
            .fetch_all(&mut *db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| User {
            id: row.id,
            email: row.email,
            first_name: row.first_name,
            last_name: row.last_name,
            display_name: row.display_name,
            github_username: row.github_username,
            github_profile_url: row.github_profile_url,
            timezone: row.timezone,
            default_coaching_session_duration_minutes: row.default_coaching_session_duration_minutes,
            roles: roles.iter().filter(|grant| grant.user_id == row.id).cloned().collect(),
            invite_status: Some(row.invite_status),
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
        .collect())
}

/// One member as the member list shows them.
pub async fn member(
    db: &mut super::Conn,
    organization: OrganizationId,
    user_id: UserId,
    now: DateTime<Utc>,
) -> Result<Option<User>, sqlx::Error> {
    Ok(members(db, organization, Some(user_id), now).await?.pop())
}

/// The administrators of an organization.
pub async fn admins(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM user_roles WHERE organization_id = $1 AND role = 'Admin'")
        .bind(organization)
        .fetch_all(db)
        .await
}

/// How many organizations `user_id` is a member of.
pub async fn count_of_member(db: impl sqlx::Executor<'_, Database = Db>, user_id: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM organization_members WHERE user_id = $1").bind(user_id).fetch_one(db).await
}

/// `user_id`'s role in an organization.
pub async fn role_of(
    db: impl sqlx::Executor<'_, Database = Db>,
    organization: OrganizationId,
    user_id: UserId,
) -> Result<Option<UserRole>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM user_roles WHERE organization_id = $1 AND user_id = $2")
        .bind(organization)
        .bind(user_id)
        .fetch_optional(db)
        .await
}

/// Sets `user_id`'s role in an organization (their one role there).
pub async fn set_role(
    db: &mut super::Conn,
    organization: OrganizationId,
    user_id: UserId,
    role: Role,
    now: DateTime<Utc>,
) -> Result<UserRole, sqlx::Error> {
    let changed: Option<UserRole> = sqlx::query_as(
        "UPDATE user_roles SET role = $3, updated_at = $4 WHERE organization_id = $1 AND user_id = $2 RETURNING *",
    )
    .bind(organization)
    .bind(user_id)
    .bind(role)
    .bind(now)
    .fetch_optional(&mut *db)
    .await?;
    if let Some(changed) = changed {
        return Ok(changed);
    }
    let id: UserRoleId = new_id();
    sqlx::query_as(
        "INSERT INTO user_roles (id, role, organization_id, user_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING *",
    )
    .bind(id)
    .bind(role)
    .bind(organization)
    .bind(user_id)
    .bind(now)
    .fetch_one(db)
    .await
}

/// Removes `user_id`'s role in an organization, and their membership with it.
pub async fn remove_member(
    db: &mut super::Conn,
    organization: OrganizationId,
    user_id: UserId,
) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM user_roles WHERE organization_id = $1 AND user_id = $2")
        .bind(organization)
        .bind(user_id)
        .execute(&mut *db)
        .await?;
    let done = sqlx::query("DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2")
        .bind(organization)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The slug of a name: its letters and digits, lowercased, words joined by hyphens.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "organization".to_owned()
    } else {
        slug
    }
}

/// A slug for `name` no other organization than `except` has: its slug, else with `-2`, `-3`…
pub async fn free_slug(
    db: &mut super::Conn,
    name: &str,
    except: Option<OrganizationId>,
) -> Result<String, sqlx::Error> {
    let base = slug_of(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while slug_taken(&mut *db, &candidate, except).await? {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

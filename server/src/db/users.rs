//! Users and their roles.

use chrono::{DateTime, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteExecutor, SqlitePool};
use tandem_protocol::{LoginUser, Role, User, UserId, UserRole, UserRoleId};

use super::new_id;
use super::row::{id, opt_id, wire, wire_text};

/// A user as stored, with the password hash the API never shows.
pub struct StoredUser {
    pub user: User,
    pub password_hash: String,
}

impl StoredUser {
    /// What `POST /login` answers.
    pub fn login_user(&self) -> LoginUser {
        let user = &self.user;
        LoginUser {
            id: user.id,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            display_name: user.display_name.clone(),
            timezone: user.timezone.clone(),
            roles: user.roles.clone(),
        }
    }
}

/// What it takes to create a user.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub display_name: Option<&'a str>,
    pub timezone: &'a str,
    pub password_hash: &'a str,
}

fn user_from_row(row: &SqliteRow, roles: Vec<UserRole>) -> Result<User, sqlx::Error> {
    Ok(User {
        id: id(row, "id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        display_name: row.try_get("display_name")?,
        github_username: row.try_get("github_username")?,
        github_profile_url: row.try_get("github_profile_url")?,
        timezone: row.try_get("timezone")?,
        default_coaching_session_duration_minutes: row.try_get("default_coaching_session_duration_minutes")?,
        roles,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn role_from_row(row: &SqliteRow) -> Result<UserRole, sqlx::Error> {
    Ok(UserRole {
        id: id(row, "id")?,
        role: wire(row, "role")?,
        organization_id: opt_id(row, "organization_id")?,
        user_id: id(row, "user_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The roles of one user.
pub async fn roles(db: impl SqliteExecutor<'_>, user_id: UserId) -> Result<Vec<UserRole>, sqlx::Error> {
    sqlx::query("SELECT * FROM user_roles WHERE user_id = ? ORDER BY created_at")
        .bind(user_id.to_string())
        .fetch_all(db)
        .await?
        .iter()
        .map(role_from_row)
        .collect()
}

async fn stored_from_row(db: &SqlitePool, row: Option<SqliteRow>) -> Result<Option<StoredUser>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let user_id: UserId = id(&row, "id")?;
    let roles = roles(db, user_id).await?;
    Ok(Some(StoredUser { user: user_from_row(&row, roles)?, password_hash: row.try_get("password_hash")? }))
}

/// The user with exactly this email.
pub async fn by_email(db: &SqlitePool, email: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM users WHERE email = ?").bind(email).fetch_optional(db).await?;
    stored_from_row(db, row).await
}

/// The user with this id.
pub async fn by_id(db: &SqlitePool, user_id: UserId) -> Result<Option<StoredUser>, sqlx::Error> {
    let row = sqlx::query("SELECT * FROM users WHERE id = ?").bind(user_id.to_string()).fetch_optional(db).await?;
    stored_from_row(db, row).await
}

/// Whether there are no users at all (a fresh database).
pub async fn is_empty(db: &SqlitePool) -> Result<bool, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(db).await?;
    Ok(count == 0)
}

/// Creates a user and returns their id.
pub async fn insert(db: impl SqliteExecutor<'_>, new: &NewUser<'_>, now: DateTime<Utc>) -> Result<UserId, sqlx::Error> {
    let user_id: UserId = new_id();
    sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, display_name, timezone, password_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user_id.to_string())
    .bind(new.email)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.display_name)
    .bind(new.timezone)
    .bind(new.password_hash)
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(user_id)
}

/// Grants a role, platform-wide (`organization` = None) or within one organization.
pub async fn grant_role(
    db: impl SqliteExecutor<'_>,
    user_id: UserId,
    role: Role,
    organization: Option<tandem_protocol::OrganizationId>,
    now: DateTime<Utc>,
) -> Result<UserRoleId, sqlx::Error> {
    let role_id: UserRoleId = new_id();
    sqlx::query(
        "INSERT INTO user_roles (id, role, organization_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(role_id.to_string())
    .bind(wire_text(&role))
    .bind(organization.map(|o| o.to_string()))
    .bind(user_id.to_string())
    .bind(now)
    .bind(now)
    .execute(db)
    .await?;
    Ok(role_id)
}

/// Replaces a user's password hash.
pub async fn set_password_hash(
    db: impl SqliteExecutor<'_>,
    user_id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")
        .bind(hash)
        .bind(now)
        .bind(user_id.to_string())
        .execute(db)
        .await?;
    Ok(())
}

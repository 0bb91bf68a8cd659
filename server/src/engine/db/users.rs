//! Users and their roles.

use chrono::{DateTime, Utc};
use tandem_protocol::{LoginUser, OrganizationId, Role, User, UserId, UserRole, UserRoleId};

use super::{new_id, Db, Pool};

/// A user with their roles, and the password hash the API never shows.
pub struct StoredUser {
    pub user: User,
    pub password_hash: String,
}

/// A user as stored: the wire type less the roles (rows of `user_roles`), plus the hash.
#[derive(sqlx::FromRow)]
struct UserRow {
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
    password_hash: String,
}

impl UserRow {
    fn into_stored(self, roles: Vec<UserRole>) -> StoredUser {
        let user = User {
            id: self.id,
            email: self.email,
            first_name: self.first_name,
            last_name: self.last_name,
            display_name: self.display_name,
            github_username: self.github_username,
            github_profile_url: self.github_profile_url,
            timezone: self.timezone,
            default_coaching_session_duration_minutes: self.default_coaching_session_duration_minutes,
            roles,
            created_at: self.created_at,
            updated_at: self.updated_at,
        };
        StoredUser { user, password_hash: self.password_hash }
    }
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

/// The roles of one user.
pub async fn roles(db: impl sqlx::Executor<'_, Database = Db>, user_id: UserId) -> Result<Vec<UserRole>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM user_roles WHERE user_id = $1 ORDER BY created_at").bind(user_id).fetch_all(db).await
}

/// The user whose `column` is `value`, with roles and password hash.
async fn stored_where<T>(db: &Pool, column: &str, value: T) -> Result<Option<StoredUser>, sqlx::Error>
where
    T: for<'q> sqlx::Encode<'q, Db> + sqlx::Type<Db> + Send,
{
    let found: Option<UserRow> =
        sqlx::query_as(&format!("SELECT * FROM users WHERE {column} = $1")).bind(value).fetch_optional(db).await?;
    let Some(row) = found else { return Ok(None) };
    let roles = roles(db, row.id).await?;
    Ok(Some(row.into_stored(roles)))
}

/// The user with exactly this email.
pub async fn by_email(db: &Pool, email: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    stored_where(db, "email", email.to_owned()).await
}

/// The user with this id.
pub async fn by_id(db: &Pool, user_id: UserId) -> Result<Option<StoredUser>, sqlx::Error> {
    stored_where(db, "id", user_id).await
}

/// Whether there are no users at all (a fresh database).
pub async fn is_empty(db: impl sqlx::Executor<'_, Database = Db>) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM users)").fetch_one(db).await
}

/// Creates a user and returns their id.
pub async fn insert(
    db: impl sqlx::Executor<'_, Database = Db>,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<UserId, sqlx::Error> {
    let user_id: UserId = new_id();
    sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, display_name, timezone, password_hash, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(user_id)
    .bind(new.email)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.display_name)
    .bind(new.timezone)
    .bind(new.password_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(user_id)
}

/// Grants a role, platform-wide (`organization` = None) or within one organization.
pub async fn grant_role(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    role: Role,
    organization: Option<OrganizationId>,
    now: DateTime<Utc>,
) -> Result<UserRoleId, sqlx::Error> {
    let role_id: UserRoleId = new_id();
    sqlx::query(
        "INSERT INTO user_roles (id, role, organization_id, user_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(role_id)
    .bind(role)
    .bind(organization)
    .bind(user_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(role_id)
}

/// Replaces a user's password hash.
pub async fn set_password_hash(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}

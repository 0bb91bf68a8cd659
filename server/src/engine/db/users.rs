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
            invite_status: None,
            created_at: self.created_at,
            updated_at: self.updated_at,
        };
        StoredUser { user, password_hash: self.password_hash }
    }
}

impl StoredUser {
    /// Whether they have set a password (an invited person has not yet).
    pub fn has_password(&self) -> bool {
        !self.password_hash.is_empty()
    }

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

/// The stored password hash of a person who has none yet (invited, not set up): it never
/// verifies.
pub const NO_PASSWORD: &str = "";

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

/// The user with this email, whatever its letters' case.
pub async fn by_email_ignoring_case(db: &Pool, email: &str) -> Result<Option<StoredUser>, sqlx::Error> {
    stored_where(db, "lower(email)", email.to_lowercase()).await
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

/// What `PUT /users/{id}` changes; `None` keeps a field as it is.
#[derive(Default)]
pub struct ProfileChange<'a> {
    pub email: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    /// `Some(None)` clears the display name.
    pub display_name: Option<Option<&'a str>>,
    pub github_profile_url: Option<Option<&'a str>>,
    pub timezone: Option<&'a str>,
    pub default_duration: Option<i32>,
}

/// Changes a person's profile; whether they exist.
pub async fn update_profile(
    db: impl sqlx::Executor<'_, Database = Db>,
    user_id: UserId,
    change: &ProfileChange<'_>,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET
            email = COALESCE($2, email),
            first_name = COALESCE($3, first_name),
            last_name = COALESCE($4, last_name),
            display_name = CASE WHEN $5 THEN $6 ELSE display_name END,
            github_profile_url = CASE WHEN $7 THEN $8 ELSE github_profile_url END,
            timezone = COALESCE($9, timezone),
            default_coaching_session_duration_minutes = COALESCE($10, default_coaching_session_duration_minutes),
            updated_at = $11
         WHERE id = $1",
    )
    .bind(user_id)
    .bind(change.email)
    .bind(change.first_name)
    .bind(change.last_name)
    .bind(change.display_name.is_some())
    .bind(change.display_name.flatten())
    .bind(change.github_profile_url.is_some())
    .bind(change.github_profile_url.flatten())
    .bind(change.timezone)
    .bind(change.default_duration)
    .bind(now)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a person's account (their logins, roles, memberships and relationships go with it).
pub async fn delete(db: impl sqlx::Executor<'_, Database = Db>, user_id: UserId) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

/// The people who show `user_id`'s name: the other side of each of their relationships and
/// the administrators of their organizations.
pub async fn who_sees(db: impl sqlx::Executor<'_, Database = Db>, user_id: UserId) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT coachee_id FROM coaching_relationships WHERE coach_id = $1
         UNION SELECT coach_id FROM coaching_relationships WHERE coachee_id = $1
         UNION SELECT r.user_id FROM user_roles r JOIN organization_members m ON m.organization_id = r.organization_id
               WHERE m.user_id = $1 AND r.role = 'Admin'",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// The global super administrators.
pub async fn super_admins(db: impl sqlx::Executor<'_, Database = Db>) -> Result<Vec<UserId>, sqlx::Error> {
    sqlx::query_scalar("SELECT user_id FROM user_roles WHERE role = 'SuperAdmin' AND organization_id IS NULL")
        .fetch_all(db)
        .await
}

/// A person's row (without roles), read inside a write.
pub async fn by_id_in(db: &mut super::Conn, user_id: UserId) -> Result<Option<User>, sqlx::Error> {
    let found: Option<UserRow> = sqlx::query_as("SELECT * FROM users WHERE id = $1").bind(user_id).fetch_optional(db).await?;
    Ok(found.map(|row| row.into_stored(Vec::new()).user))
}

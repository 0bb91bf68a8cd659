//! `tandem-server admin …`: administration from the command line, on the database alone.

use chrono::Utc;
use tandem_protocol::Role;

use super::auth::links;
use super::db::account_tokens::Purpose;
use super::db::{self, users};

/// Why an administration command failed.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("database: {0}")]
    Query(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
}

/// What `create-superadmin` did.
pub struct SuperAdminLink {
    /// Whether the person was created now (else they existed).
    pub created: bool,
    /// Setup (no password yet) or reset (they have one).
    pub purpose: Purpose,
    pub url: String,
}

/// Makes the person with `email` a super administrator, creating them without a password
/// when missing, and issues the link at which they set one: a setup link while they have
/// none, else a password-reset link. Each run issues a fresh link; the earlier stops working.
pub async fn create_superadmin(
    database_url: &str,
    public_url: &str,
    email: &str,
    first_name: &str,
    last_name: &str,
) -> Result<SuperAdminLink, AdminError> {
    let email = email.trim();
    if !crate::mail::is_address(email) {
        return Err(AdminError::Invalid(format!("{email:?} is not an email address")));
    }
    let (first_name, last_name) = (first_name.trim(), last_name.trim());
    if first_name.is_empty() || last_name.is_empty() {
        return Err(AdminError::Invalid("the first and last name must not be empty".into()));
    }
    let pool = db::connect(database_url).await?;
    let now = Utc::now();
    let existing = users::by_email_ignoring_case(&pool, email).await?;
    let mut tx = pool.begin().await?;
    let (user_id, created, has_password) = match &existing {
        Some(stored) => (stored.user.id, false, stored.has_password()),
        None => {
            let new = users::NewUser {
                email,
                first_name,
                last_name,
                display_name: None,
                timezone: "UTC",
                password_hash: users::NO_PASSWORD,
            };
            (users::insert(&mut *tx, &new, now).await?, true, false)
        }
    };
    let is_super_admin = existing.as_ref().is_some_and(|stored| {
        stored.user.roles.iter().any(|grant| grant.role == Role::SuperAdmin && grant.organization_id.is_none())
    });
    if !is_super_admin {
        users::grant_role(&mut *tx, user_id, Role::SuperAdmin, None, now).await?;
    }
    let purpose = if has_password { Purpose::Reset } else { Purpose::Setup };
    let url = links::issue(&mut tx, public_url, user_id, purpose, now).await?;
    tx.commit().await?;
    pool.close().await;
    Ok(SuperAdminLink { created, purpose, url })
}

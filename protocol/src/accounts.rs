//! Organizations, members, invitations, password reset and profiles: the reference's
//! sections 3.1-3.3 and 3.6, with its routes, bodies and answers.

use serde::{Deserialize, Serialize};

pub use crate::entities::InviteStatus;
use crate::entities::Role;
use crate::ids::*;

/// `status` of `GET /organizations`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganizationStatus {
    #[default]
    Active,
    Archived,
    All,
}

impl OrganizationStatus {
    /// The query-string spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            OrganizationStatus::Active => "active",
            OrganizationStatus::Archived => "archived",
            OrganizationStatus::All => "all",
        }
    }
}

/// `GET /organizations`: `user_id` is accepted and ignored (the caller is always the scope);
/// any other parameter is refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OrganizationStatus>,
    #[serde(default, skip_serializing)]
    pub user_id: Option<String>,
}

/// `POST /organizations` and `PUT /organizations/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationInput {
    pub name: String,
    #[serde(default)]
    pub logo: Option<String>,
}

/// `POST /organizations/{org}/users`: a new member, optionally with their coach (the
/// relationship is made in the same transaction).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewMember {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Set at once instead of by the invitation link (the reference accepts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_profile_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_coaching_session_duration_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coach_id: Option<UserId>,
}

/// `POST /organizations/{org}/users/{user}/role`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleGrant {
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coach_id: Option<UserId>,
}

/// `PUT /organizations/{org}/users/{user}/role`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

/// `POST /organizations/{org}/coaching_relationships`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewRelationship {
    pub coach_id: UserId,
    pub coachee_id: UserId,
}

/// `role` of `GET /users/{id}/coaching-relationships`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelationshipSide {
    #[default]
    All,
    Coach,
    Coachee,
}

/// `GET /users/{id}/coaching-relationships`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserRelationshipsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RelationshipSide>,
}

/// `PUT /users/{id}`: every field optional; an absent one stays as it is. `display_name`
/// may be sent as `null` (or empty) to clear it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UserUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_profile_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_coaching_session_duration_minutes: Option<i32>,
}

/// `GET /users?email=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserLookupQuery {
    pub email: String,
}

/// One match of `GET /users?email=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct UserLookupResult {
    pub id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// `GET /magic-link/validate?token=` and `POST /password-reset/validate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenInput {
    pub token: String,
}

/// `POST /magic-link/complete-setup` and `POST /password-reset/complete`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SetPassword {
    pub token: String,
    pub password: String,
    pub confirm_password: String,
}

/// `POST /password-reset/request`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordResetRequest {
    pub email: String,
}

/// Answer of `POST /password-reset/validate`: whose password is being reset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResetFor {
    pub first_name: String,
    pub last_name: String,
}

/// `details` of the errors naming an organization (`user_already_in_organization`,
/// `last_organization_admin`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationDetails {
    pub organization_id: OrganizationId,
}

/// `details` of `organization_not_empty`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganizationContents {
    pub coaching_relationship_count: i64,
    pub coaching_session_count: i64,
    pub member_count: i64,
}

/// Error kinds of these routes (the JSON error body's `error`).
pub const ERROR_ORGANIZATION_NAME_TAKEN: &str = "organization_name_taken";
pub const ERROR_ORGANIZATION_NOT_EMPTY: &str = "organization_not_empty";
pub const ERROR_ORGANIZATION_ARCHIVED: &str = "organization_archived";
pub const ERROR_USER_ALREADY_IN_ORGANIZATION: &str = "user_already_in_organization";
pub const ERROR_LAST_ORGANIZATION_ADMIN: &str = "last_organization_admin";
pub const ERROR_USER_IN_SEVERAL_ORGANIZATIONS: &str = "user_belongs_to_multiple_organizations";
pub const ERROR_INVALID_OR_EXPIRED_TOKEN: &str = "invalid_or_expired_token";
pub const ERROR_PASSWORD_RESET_RATE_LIMITED: &str = "password_reset_rate_limited";
pub const ERROR_USER_LOOKUP_RATE_LIMITED: &str = "user_lookup_rate_limited";
pub const ERROR_INVALID_TIMEZONE: &str = "invalid_timezone";

/// The password rule the server applies and the web app shows before sending.
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;

/// The password rule, as a person reads it.
pub fn password_policy() -> String {
    format!("{} to {} characters.", PASSWORD_CHARS.start(), PASSWORD_CHARS.end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizations_query_refuses_unknown_parameters_but_takes_user_id() {
        let ok: OrganizationsQuery = serde_json::from_str(r#"{"status":"archived","user_id":"x"}"#).unwrap();
        assert_eq!(ok.status, Some(OrganizationStatus::Archived));
        assert!(serde_json::from_str::<OrganizationsQuery>(r#"{"sort":"name"}"#).is_err());
    }

    #[test]
    fn role_bodies_refuse_unknown_fields() {
        assert!(serde_json::from_str::<RoleChange>(r#"{"role":"Admin","extra":1}"#).is_err());
        assert!(serde_json::from_str::<RoleGrant>(r#"{"role":"Boss"}"#).is_err());
        let grant: RoleGrant = serde_json::from_str(r#"{"role":"User"}"#).unwrap();
        assert_eq!(grant.role, Role::User);
    }

    #[test]
    fn invite_status_is_lowercase_on_the_wire() {
        assert_eq!(serde_json::to_string(&InviteStatus::Pending).unwrap(), r#""pending""#);
    }
}

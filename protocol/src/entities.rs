//! Entities as the API returns them (contract section 3). `Option` = nullable, sent as null.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

/// Progress of an action or a goal. Spelled in PascalCase on the wire and in queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
pub enum Status {
    #[default]
    NotStarted,
    InProgress,
    Completed,
    OnHold,
    WontDo,
}

impl Status {
    /// Every status, in the order a person would walk through them.
    pub const ALL: [Status; 5] =
        [Status::NotStarted, Status::InProgress, Status::Completed, Status::OnHold, Status::WontDo];

    /// The wire spelling (also used in query strings).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::NotStarted => "NotStarted",
            Status::InProgress => "InProgress",
            Status::Completed => "Completed",
            Status::OnHold => "OnHold",
            Status::WontDo => "WontDo",
        }
    }

    /// How a person reads it.
    pub const fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Completed => "Completed",
            Status::OnHold => "On hold",
            Status::WontDo => "Won't do",
        }
    }

    /// Parses the wire spelling.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// A platform-wide role. Coach and coachee are not roles: they are the two sides of a
/// [`CoachingRelationship`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
pub enum Role {
    User,
    Admin,
    SuperAdmin,
}

/// Where a member is in their onboarding (only in the organization's member list).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum InviteStatus {
    /// Invited, the link still valid, no password set yet.
    Pending,
    /// Invited, the link no longer valid, no password set yet: resend the invitation.
    Expired,
    /// Has a password: can sign in.
    Active,
}

impl InviteStatus {
    /// How a person reads it.
    pub const fn label(self) -> &'static str {
        match self {
            InviteStatus::Pending => "Invited",
            InviteStatus::Expired => "Invitation expired",
            InviteStatus::Active => "Active",
        }
    }
}

/// Video meeting provider of a coaching session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum Provider {
    Google,
    Zoom,
}

/// A role granted to a user, platform-wide or within one organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct UserRole {
    pub id: UserRoleId,
    pub role: Role,
    pub organization_id: Option<OrganizationId>,
    pub user_id: UserId,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// A person, as `GET /users/{id}` returns them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: Option<String>,
    pub github_username: Option<String>,
    pub github_profile_url: Option<String>,
    pub timezone: String,
    pub default_coaching_session_duration_minutes: i32,
    pub roles: Vec<UserRole>,
    /// Only in an organization's member list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_status: Option<InviteStatus>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// The person as `POST /login` returns them: what the web app keeps while signed in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginUser {
    pub id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub display_name: Option<String>,
    pub timezone: String,
    pub roles: Vec<UserRole>,
}

impl LoginUser {
    /// The name to show: the display name when set, else first and last name.
    pub fn name(&self) -> String {
        full_name(self.display_name.as_deref(), &self.first_name, &self.last_name)
    }
}

impl User {
    /// The name to show: the display name when set, else first and last name.
    pub fn name(&self) -> String {
        full_name(self.display_name.as_deref(), &self.first_name, &self.last_name)
    }
}

fn full_name(display_name: Option<&str>, first: &str, last: &str) -> String {
    match display_name.map(str::trim) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => format!("{first} {last}").trim().to_owned(),
    }
}

/// An organization that coaches and coachees belong to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Organization {
    pub id: OrganizationId,
    pub name: String,
    pub logo: Option<String>,
    pub slug: String,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub archived_at: Option<DateTime<Utc>>,
    pub archived_by: Option<UserId>,
}

/// One coach and one coachee working together (no organization id on the wire).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct CoachingRelationship {
    pub id: CoachingRelationshipId,
    pub coach_id: UserId,
    pub coachee_id: UserId,
    pub coach_first_name: String,
    pub coach_last_name: String,
    pub coachee_first_name: String,
    pub coachee_last_name: String,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

impl CoachingRelationship {
    /// Whether `user` is the coach or the coachee of this relationship.
    pub fn has_participant(&self, user: UserId) -> bool {
        self.coach_id == user || self.coachee_id == user
    }

    /// The coach's first and last name.
    pub fn coach_name(&self) -> String {
        format!("{} {}", self.coach_first_name, self.coach_last_name)
    }

    /// The coachee's first and last name.
    pub fn coachee_name(&self) -> String {
        format!("{} {}", self.coachee_first_name, self.coachee_last_name)
    }
}

/// A coaching session. `date` is a naive datetime, UTC by convention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoachingSession {
    pub id: CoachingSessionId,
    pub coaching_relationship_id: CoachingRelationshipId,
    pub coaching_session_series_id: Option<CoachingSessionSeriesId>,
    pub ical_sequence: i32,
    pub ical_recurrence_id: Option<String>,
    pub collab_document_name: Option<String>,
    #[serde(deserialize_with = "crate::wire_time::naive_date_time")]
    pub date: NaiveDateTime,
    pub duration_minutes: i32,
    pub title: Option<String>,
    pub meeting_url: Option<String>,
    pub provider: Option<Provider>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub hydrated_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub notice_given_at: DateTime<Utc>,
    /// Present on list routes only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_title: Option<String>,
}

/// Something someone will do, by when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub coaching_session_id: CoachingSessionId,
    pub goal_id: Option<GoalId>,
    /// The creator.
    pub user_id: UserId,
    pub body: Option<String>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub due_by: Option<DateTime<Utc>>,
    pub status: Status,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub status_changed_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub assignee_ids: Vec<UserId>,
}

/// Something coach and coachee agreed on in a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Agreement {
    pub id: AgreementId,
    pub coaching_session_id: CoachingSessionId,
    pub body: Option<String>,
    pub user_id: UserId,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// The notes of a coaching session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Note {
    pub id: NoteId,
    pub coaching_session_id: CoachingSessionId,
    pub body: Option<String>,
    pub user_id: UserId,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// A goal of a coaching relationship. At most [`MAX_IN_PROGRESS_GOALS`] may be in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Goal {
    pub id: GoalId,
    pub coaching_relationship_id: CoachingRelationshipId,
    pub created_in_session_id: Option<CoachingSessionId>,
    pub user_id: UserId,
    pub title: Option<String>,
    pub body: Option<String>,
    pub status: Status,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub status_changed_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_date")]
    pub target_date: Option<NaiveDate>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// How many goals of one relationship may be `InProgress` at once.
pub const MAX_IN_PROGRESS_GOALS: usize = 3;

/// The link between a coaching session and a goal worked on in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct CoachingSessionGoal {
    pub id: CoachingSessionGoalId,
    pub coaching_session_id: CoachingSessionId,
    pub goal_id: GoalId,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// Answer of the deletes of actions, agreements and goals: a bare `{"id": …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deleted<Id> {
    pub id: Id,
}

/// Answer of unlinking a goal from a session: a bare `{"goal_id": …}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnlinkedGoal {
    pub goal_id: GoalId,
}

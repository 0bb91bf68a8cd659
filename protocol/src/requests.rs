//! Request bodies and query parameters of every route in contract section 4.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::entities::{Provider, Status};
use crate::ids::*;

/// `POST /login`, sent form-encoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
}

/// `sort_order` of list routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

impl SortOrder {
    /// The query-string spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// `sort_by` of `GET /coaching_sessions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionSortField {
    Date,
}

/// `sort_by` of the action lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSortField {
    DueBy,
    CreatedAt,
    UpdatedAt,
}

impl ActionSortField {
    /// The query-string spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionSortField::DueBy => "due_by",
            ActionSortField::CreatedAt => "created_at",
            ActionSortField::UpdatedAt => "updated_at",
        }
    }
}

/// Query pairs in the order they are declared; callers that need a canonical form sort them.
pub type QueryPairs = Vec<(&'static str, String)>;

fn push_opt(pairs: &mut QueryPairs, name: &'static str, value: Option<&str>) {
    if let Some(value) = value {
        pairs.push((name, value.to_owned()));
    }
}

/// `GET /coaching_sessions`: all three filters are required.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CoachingSessionsQuery {
    pub coaching_relationship_id: CoachingRelationshipId,
    #[serde(deserialize_with = "crate::wire_time::date")]
    pub from_date: NaiveDate,
    #[serde(deserialize_with = "crate::wire_time::date")]
    pub to_date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<SessionSortField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl CoachingSessionsQuery {
    /// The query-string pairs of this filter.
    pub fn pairs(&self) -> QueryPairs {
        let mut pairs = vec![
            ("coaching_relationship_id", self.coaching_relationship_id.to_string()),
            ("from_date", self.from_date.to_string()),
            ("to_date", self.to_date.to_string()),
        ];
        push_opt(&mut pairs, "sort_by", self.sort_by.map(|_| "date"));
        push_opt(&mut pairs, "sort_order", self.sort_order.map(SortOrder::as_str));
        pairs
    }
}

/// `POST /coaching_sessions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewCoachingSession {
    pub coaching_relationship_id: CoachingRelationshipId,
    #[serde(deserialize_with = "crate::wire_time::naive_date_time")]
    pub date: NaiveDateTime,
    #[serde(default)]
    pub duration_minutes: Option<i32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub meeting_url: Option<String>,
    #[serde(default)]
    pub provider: Option<Provider>,
}

/// `PUT /coaching_sessions/{id}` (coach only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateCoachingSession {
    #[serde(deserialize_with = "crate::wire_time::naive_date_time")]
    pub date: NaiveDateTime,
    #[serde(default)]
    pub duration_minutes: Option<i32>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub meeting_url: Option<String>,
    #[serde(default)]
    pub provider: Option<Provider>,
}

/// `PATCH /coaching_sessions/{id}/title`: `null` clears the title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TitleUpdate {
    pub title: Option<String>,
}

/// `GET /actions`, `GET /agreements`, `GET /notes`: the session whose items to list.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SessionItemsQuery {
    pub coaching_session_id: CoachingSessionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<ActionSortField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl SessionItemsQuery {
    /// Items of one session, in the server's default order.
    pub fn of(coaching_session_id: CoachingSessionId) -> Self {
        Self { coaching_session_id, sort_by: None, sort_order: None }
    }

    /// The query-string pairs of this filter.
    pub fn pairs(&self) -> QueryPairs {
        let mut pairs = vec![("coaching_session_id", self.coaching_session_id.to_string())];
        push_opt(&mut pairs, "sort_by", self.sort_by.map(ActionSortField::as_str));
        push_opt(&mut pairs, "sort_order", self.sort_order.map(SortOrder::as_str));
        pairs
    }
}

/// `GET /users/{id}/actions`: every filter optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserActionsQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coaching_relationship_id: Option<CoachingRelationshipId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<ActionSortField>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<SortOrder>,
}

impl UserActionsQuery {
    /// The query-string pairs of this filter.
    pub fn pairs(&self) -> QueryPairs {
        let mut pairs = QueryPairs::new();
        let relationship = self.coaching_relationship_id.map(|id| id.to_string());
        push_opt(&mut pairs, "coaching_relationship_id", relationship.as_deref());
        push_opt(&mut pairs, "status", self.status.map(Status::as_str));
        push_opt(&mut pairs, "sort_by", self.sort_by.map(ActionSortField::as_str));
        push_opt(&mut pairs, "sort_order", self.sort_order.map(SortOrder::as_str));
        pairs
    }
}

/// `POST /actions` and `PUT /actions/{id}`. A PUT replaces the whole action: an omitted
/// `body`, `due_by` or `goal_id` becomes null; `assignee_ids`, when present, replaces the set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionInput {
    pub coaching_session_id: CoachingSessionId,
    pub status: Status,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    #[serde(deserialize_with = "crate::wire_time::optional_instant")]
    pub due_by: Option<DateTime<Utc>>,
    #[serde(default)]
    pub goal_id: Option<GoalId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_ids: Option<Vec<UserId>>,
}

/// `POST /agreements` and `PUT /agreements/{id}` (a PUT changes the body only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementInput {
    pub coaching_session_id: CoachingSessionId,
    #[serde(default)]
    pub body: Option<String>,
}

/// `POST /notes` and `PUT /notes/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteInput {
    pub coaching_session_id: CoachingSessionId,
    #[serde(default)]
    pub body: Option<String>,
}

/// `GET /goals`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GoalsQuery {
    pub coaching_relationship_id: CoachingRelationshipId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

impl GoalsQuery {
    /// The query-string pairs of this filter.
    pub fn pairs(&self) -> QueryPairs {
        let mut pairs = vec![("coaching_relationship_id", self.coaching_relationship_id.to_string())];
        push_opt(&mut pairs, "status", self.status.map(Status::as_str));
        pairs
    }
}

/// `POST /goals` and `PUT /goals/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalInput {
    pub coaching_relationship_id: CoachingRelationshipId,
    pub status: Status,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    #[serde(deserialize_with = "crate::wire_time::optional_date")]
    pub target_date: Option<NaiveDate>,
    #[serde(default)]
    pub created_in_session_id: Option<CoachingSessionId>,
}

/// `POST /coaching_sessions/{sid}/goals`: link a goal to a session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkGoal {
    pub goal_id: GoalId,
}

/// `PUT /users/{id}/password` [extension].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

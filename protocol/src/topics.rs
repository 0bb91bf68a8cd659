//! A session's agenda: its topics (`/coaching_sessions/{id}/topics`, contract of the reference
//! backend, `reference-api.md` 3.4 and 2.9) and their events.
//!
//! The reference announces every topic change with the coarse `topics_changed`; Tandem's server
//! sends entity-carrying events instead [extension]: `topic_created`, `topic_updated`,
//! `topic_deleted` and `topics_reordered` (with the order), so a client updates its cache
//! without a request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

/// How much the coachee wants to talk about a topic (only the coachee sets it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
pub enum TopicPriority {
    Low,
    Medium,
    High,
}

impl TopicPriority {
    /// Every priority, lowest first.
    pub const ALL: [TopicPriority; 3] = [TopicPriority::Low, TopicPriority::Medium, TopicPriority::High];

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            TopicPriority::Low => "Low",
            TopicPriority::Medium => "Medium",
            TopicPriority::High => "High",
        }
    }
}

/// Where a topic is in the conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text"))]
pub enum TopicStatus {
    #[default]
    Open,
    Discussed,
    /// Moved on to the relationship's next session.
    Deferred,
}

impl TopicStatus {
    /// Every status.
    pub const ALL: [TopicStatus; 3] = [TopicStatus::Open, TopicStatus::Discussed, TopicStatus::Deferred];

    /// The wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            TopicStatus::Open => "Open",
            TopicStatus::Discussed => "Discussed",
            TopicStatus::Deferred => "Deferred",
        }
    }
}

/// One topic of a session's agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Topic {
    pub id: TopicId,
    pub coaching_session_id: CoachingSessionId,
    pub body: String,
    /// Who added it.
    pub user_id: UserId,
    pub priority: Option<TopicPriority>,
    pub status: TopicStatus,
    /// The session it was deferred from, while it sits in the next one.
    #[serde(default)]
    pub moved_from_session_id: Option<CoachingSessionId>,
    /// Its place in the agenda, smallest first [extension]; the reference sends none (its
    /// list is in order), and then every topic reads as 0 and the list's order stands.
    #[serde(default)]
    pub position: i32,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// `POST /coaching_sessions/{id}/topics`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTopic {
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<TopicPriority>,
}

/// `PUT /coaching_sessions/{id}/topics/{topic}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicEdit {
    pub body: String,
}

/// `PATCH /coaching_sessions/{id}/topics/{topic}/rating` (`null` clears it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicRating {
    pub priority: Option<TopicPriority>,
}

/// `PATCH /coaching_sessions/{id}/topics/{topic}/status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicStatusChange {
    pub status: TopicStatus,
}

/// `PATCH /coaching_sessions/{id}/topics/reorder`: every topic of the session, in the new order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicsReorder {
    pub ordered_ids: Vec<TopicId>,
}

/// `topic_created`, `topic_updated` [extension]. A topic moved to another session (deferred,
/// or brought back by undo) is `topic_deleted` in the one and `topic_created` in the other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicChanged {
    pub coaching_session_id: CoachingSessionId,
    pub topic: Topic,
}

/// `topic_deleted` [extension].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicDeleted {
    pub coaching_session_id: CoachingSessionId,
    pub topic_id: TopicId,
}

/// `topics_reordered` [extension]: the session's topics in their new order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicsReordered {
    pub coaching_session_id: CoachingSessionId,
    pub ordered_ids: Vec<TopicId>,
}

/// `POST /coaching_sessions/{id}/view`: when the caller had last opened the session before
/// now (`None` the first time), and now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MarkViewed {
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub previous_last_viewed_at: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub last_viewed_at: DateTime<Utc>,
    /// What someone else changed in the session since the previous visit [extension]; the
    /// reference sends none, and a client then compares times and authors itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by_others: Option<ChangedSince>,
}

/// The items of a session someone else created or changed since a person's previous visit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangedSince {
    pub topics: Vec<TopicId>,
    pub agreements: Vec<AgreementId>,
    pub actions: Vec<ActionId>,
    /// Whether the notes changed.
    pub notes: bool,
}

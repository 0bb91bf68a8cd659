//! The event stream `GET /sse` (contract section 5).
//!
//! On the wire each event is an `event: <type>` line and a `data:` line holding
//! `{"type": "<type>", "data": {…}}`. [`Event`] is that JSON, adjacently tagged, and
//! [`decode_event`] turns an `(event name, data)` pair into it without ever panicking.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::entities::{Action, Agreement, CoachingRelationship, CoachingSession, Goal, Note, User};
use crate::ids::*;
use crate::note_document::{NoteAwarenessUpdated, NoteDocumentUpdated};
use crate::notifications::{NotificationCreated, NotificationsRead};
use crate::presence::SessionPresence;
use crate::topics::{TopicChanged, TopicDeleted, TopicsReordered};

/// `action_created`, `action_updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionChanged {
    pub coaching_session_id: CoachingSessionId,
    pub action: Action,
}

/// `action_deleted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionDeleted {
    pub coaching_session_id: CoachingSessionId,
    pub action_id: ActionId,
}

/// `agreement_created`, `agreement_updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementChanged {
    pub coaching_session_id: CoachingSessionId,
    pub agreement: Agreement,
}

/// `agreement_deleted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreementDeleted {
    pub coaching_session_id: CoachingSessionId,
    pub agreement_id: AgreementId,
}

/// `goal_created`, `goal_updated`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalChanged {
    pub coaching_relationship_id: CoachingRelationshipId,
    pub goal: Goal,
}

/// `goal_deleted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalDeleted {
    pub coaching_relationship_id: CoachingRelationshipId,
    pub goal_id: GoalId,
}

/// `coaching_session_goal_created`, `coaching_session_goal_deleted`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionGoalChanged {
    pub coaching_relationship_id: CoachingRelationshipId,
    pub coaching_session_id: CoachingSessionId,
    pub goal_id: GoalId,
}

/// Events that only name a session: the reference-only features.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRef {
    pub coaching_session_id: CoachingSessionId,
}

/// `coaching_session_title_updated`: names the session. Tandem's server also sends the
/// session as it now is [extension], so a client can show the new title without a request;
/// from the reference backend it is `None`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionRetitled {
    pub coaching_session_id: CoachingSessionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coaching_session: Option<CoachingSession>,
}

/// `coaching_session_created|updated|deleted` [extension]. Created and updated also carry the
/// session as it now is, so a client can show it without a request; a client must not rely
/// on it (an older server sends only the ids).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionChanged {
    pub coaching_relationship_id: CoachingRelationshipId,
    pub coaching_session_id: CoachingSessionId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coaching_session: Option<CoachingSession>,
}

/// `note_created`, `note_updated` [extension].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoteChanged {
    pub coaching_session_id: CoachingSessionId,
    pub note: Note,
}

/// `force_logout`: the receiving login session has ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForceLogout {
    pub reason: String,
}

/// `organization_member_changed` [extension]: a member joined, finished their setup or
/// changed role. Sent to the organization's administrators and to the member.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberChanged {
    pub organization_id: OrganizationId,
    /// With `invite_status` and the roles in this organization, as the member list shows it.
    pub user: User,
}

/// `organization_member_removed` [extension].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberRemoved {
    pub organization_id: OrganizationId,
    pub user_id: UserId,
}

/// `coaching_relationship_created` [extension]: to both people and the organization's
/// administrators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationshipCreated {
    pub organization_id: OrganizationId,
    pub coaching_relationship: CoachingRelationship,
}

/// `coaching_relationship_deleted` [extension]: one of its people left the organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationshipDeleted {
    pub organization_id: OrganizationId,
    pub coaching_relationship_id: CoachingRelationshipId,
}

/// `user_updated` [extension]: a person changed their name (or, seen by themselves, their
/// profile). Sent to them and to everyone who shows their name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserUpdated {
    pub user_id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub display_name: Option<String>,
}

/// `resync` [extension]: missed events can no longer be replayed; revalidate everything.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resync {}

/// Every event of the stream, including Tandem's extensions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Event {
    ActionCreated(ActionChanged),
    ActionUpdated(ActionChanged),
    ActionDeleted(ActionDeleted),
    AgreementCreated(AgreementChanged),
    AgreementUpdated(AgreementChanged),
    AgreementDeleted(AgreementDeleted),
    GoalCreated(GoalChanged),
    GoalUpdated(GoalChanged),
    GoalDeleted(GoalDeleted),
    CoachingSessionGoalCreated(SessionGoalChanged),
    CoachingSessionGoalDeleted(SessionGoalChanged),
    CoachingSessionTitleUpdated(SessionRetitled),
    TopicsChanged(SessionRef),
    MeetingRecordingUpdated(SessionRef),
    TranscriptionUpdated(SessionRef),
    ForceLogout(ForceLogout),
    CoachingSessionCreated(SessionChanged),
    CoachingSessionUpdated(SessionChanged),
    CoachingSessionDeleted(SessionChanged),
    NoteCreated(NoteChanged),
    NoteUpdated(NoteChanged),
    NoteDocumentUpdated(NoteDocumentUpdated),
    NoteAwarenessUpdated(NoteAwarenessUpdated),
    CoachingSessionPresenceChanged(SessionPresence),
    OrganizationMemberChanged(MemberChanged),
    OrganizationMemberRemoved(MemberRemoved),
    CoachingRelationshipCreated(RelationshipCreated),
    CoachingRelationshipDeleted(RelationshipDeleted),
    UserUpdated(UserUpdated),
    NotificationCreated(NotificationCreated),
    NotificationsRead(NotificationsRead),
    TopicCreated(TopicChanged),
    TopicUpdated(TopicChanged),
    TopicDeleted(TopicDeleted),
    TopicsReordered(TopicsReordered),
    Resync(Resync),
}

impl Event {
    /// Every event type name, as sent in the `event:` line. A browser `EventSource` only
    /// delivers named events it has a listener for, so clients subscribe to each of these.
    pub const TYPES: [&'static str; 36] = [
        "action_created",
        "action_updated",
        "action_deleted",
        "agreement_created",
        "agreement_updated",
        "agreement_deleted",
        "goal_created",
        "goal_updated",
        "goal_deleted",
        "coaching_session_goal_created",
        "coaching_session_goal_deleted",
        "coaching_session_title_updated",
        "topics_changed",
        "meeting_recording_updated",
        "transcription_updated",
        "force_logout",
        "coaching_session_created",
        "coaching_session_updated",
        "coaching_session_deleted",
        "note_created",
        "note_updated",
        "note_document_updated",
        "note_awareness_updated",
        "coaching_session_presence_changed",
        "organization_member_changed",
        "organization_member_removed",
        "coaching_relationship_created",
        "coaching_relationship_deleted",
        "user_updated",
        "notification_created",
        "notifications_read",
        "topic_created",
        "topic_updated",
        "topic_deleted",
        "topics_reordered",
        "resync",
    ];

    /// The type name of this event (the `event:` line and the JSON `type`).
    pub const fn name(&self) -> &'static str {
        match self {
            Event::ActionCreated(_) => "action_created",
            Event::ActionUpdated(_) => "action_updated",
            Event::ActionDeleted(_) => "action_deleted",
            Event::AgreementCreated(_) => "agreement_created",
            Event::AgreementUpdated(_) => "agreement_updated",
            Event::AgreementDeleted(_) => "agreement_deleted",
            Event::GoalCreated(_) => "goal_created",
            Event::GoalUpdated(_) => "goal_updated",
            Event::GoalDeleted(_) => "goal_deleted",
            Event::CoachingSessionGoalCreated(_) => "coaching_session_goal_created",
            Event::CoachingSessionGoalDeleted(_) => "coaching_session_goal_deleted",
            Event::CoachingSessionTitleUpdated(_) => "coaching_session_title_updated",
            Event::TopicsChanged(_) => "topics_changed",
            Event::MeetingRecordingUpdated(_) => "meeting_recording_updated",
            Event::TranscriptionUpdated(_) => "transcription_updated",
            Event::ForceLogout(_) => "force_logout",
            Event::CoachingSessionCreated(_) => "coaching_session_created",
            Event::CoachingSessionUpdated(_) => "coaching_session_updated",
            Event::CoachingSessionDeleted(_) => "coaching_session_deleted",
            Event::NoteCreated(_) => "note_created",
            Event::NoteUpdated(_) => "note_updated",
            Event::NoteDocumentUpdated(_) => "note_document_updated",
            Event::NoteAwarenessUpdated(_) => "note_awareness_updated",
            Event::CoachingSessionPresenceChanged(_) => "coaching_session_presence_changed",
            Event::OrganizationMemberChanged(_) => "organization_member_changed",
            Event::OrganizationMemberRemoved(_) => "organization_member_removed",
            Event::CoachingRelationshipCreated(_) => "coaching_relationship_created",
            Event::CoachingRelationshipDeleted(_) => "coaching_relationship_deleted",
            Event::UserUpdated(_) => "user_updated",
            Event::NotificationCreated(_) => "notification_created",
            Event::NotificationsRead(_) => "notifications_read",
            Event::TopicCreated(_) => "topic_created",
            Event::TopicUpdated(_) => "topic_updated",
            Event::TopicDeleted(_) => "topic_deleted",
            Event::TopicsReordered(_) => "topics_reordered",
            Event::Resync(_) => "resync",
        }
    }

    /// The JSON of the `data:` line.
    pub fn to_data_json(&self) -> String {
        // Serializing plain structs of strings, numbers and dates into a String cannot fail.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// Why an `(event name, data)` pair is not an [`Event`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventDecodeError {
    /// The data is not JSON at all.
    NotJson(String),
    /// The JSON has no string `type`.
    MissingType,
    /// The `event:` name and the JSON `type` disagree.
    NameMismatch { name: String, event_type: String },
    /// A type this version does not know (a newer server, or a reference-only feature).
    Unknown(String),
    /// A known type whose `data` does not have the documented shape.
    Malformed { event_type: String, reason: String },
}

impl std::fmt::Display for EventDecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotJson(reason) => write!(f, "event data is not JSON: {reason}"),
            Self::MissingType => f.write_str("event data has no \"type\""),
            Self::NameMismatch { name, event_type } => {
                write!(f, "event name {name:?} does not match its type {event_type:?}")
            }
            Self::Unknown(event_type) => write!(f, "unknown event type {event_type:?}"),
            Self::Malformed { event_type, reason } => {
                write!(f, "malformed {event_type} event: {reason}")
            }
        }
    }
}

impl std::error::Error for EventDecodeError {}

/// Name of the keep-alive event Tandem's server sends (after the contract's `:` comment)
/// when a stream has been quiet [extension]. It carries `{}` and no id; it exists because a
/// browser's EventSource never shows comment lines to the page.
pub const HEARTBEAT_EVENT: &str = "heartbeat";

/// The name a browser gives an event that came without an `event:` line.
pub const UNNAMED_EVENT: &str = "message";

/// The outside of an event's data: its type, and its payload left as raw JSON.
#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(rename = "type", borrow, default)]
    event_type: Option<&'a RawValue>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// Decodes one received event. `name` is the `event:` line (or [`UNNAMED_EVENT`]), `data`
/// the `data:` line. Never panics: anything unexpected is an [`EventDecodeError`].
///
/// The payload is decoded by the type name into its own struct, straight from the text:
/// not through the enum's adjacently tagged `Deserialize` nor a `serde_json::Value`, whose
/// machinery and second copy of every entity's decoder are large in wasm.
pub fn decode_event(name: &str, data: &str) -> Result<Event, EventDecodeError> {
    let raw: RawEvent = serde_json::from_str(data).map_err(|e| EventDecodeError::NotJson(e.to_string()))?;
    let event_type: String =
        raw.event_type.and_then(|t| serde_json::from_str(t.get()).ok()).ok_or(EventDecodeError::MissingType)?;
    if name != UNNAMED_EVENT && name != event_type {
        return Err(EventDecodeError::NameMismatch { name: name.to_owned(), event_type });
    }
    let malformed = |reason: String| EventDecodeError::Malformed { event_type: event_type.clone(), reason };
    let Some(payload) = raw.data.map(RawValue::get) else {
        return if Event::TYPES.contains(&event_type.as_str()) {
            Err(malformed("missing field `data`".into()))
        } else {
            Err(EventDecodeError::Unknown(event_type))
        };
    };
    macro_rules! decode {
        ($($name:literal => $variant:ident),* $(,)?) => {
            match event_type.as_str() {
                $($name => serde_json::from_str(payload).map(Event::$variant).map_err(|e| malformed(e.to_string())),)*
                _ => Err(EventDecodeError::Unknown(event_type.clone())),
            }
        };
    }
    decode!(
        "action_created" => ActionCreated,
        "action_updated" => ActionUpdated,
        "action_deleted" => ActionDeleted,
        "agreement_created" => AgreementCreated,
        "agreement_updated" => AgreementUpdated,
        "agreement_deleted" => AgreementDeleted,
        "goal_created" => GoalCreated,
        "goal_updated" => GoalUpdated,
        "goal_deleted" => GoalDeleted,
        "coaching_session_goal_created" => CoachingSessionGoalCreated,
        "coaching_session_goal_deleted" => CoachingSessionGoalDeleted,
        "coaching_session_title_updated" => CoachingSessionTitleUpdated,
        "topics_changed" => TopicsChanged,
        "meeting_recording_updated" => MeetingRecordingUpdated,
        "transcription_updated" => TranscriptionUpdated,
        "force_logout" => ForceLogout,
        "coaching_session_created" => CoachingSessionCreated,
        "coaching_session_updated" => CoachingSessionUpdated,
        "coaching_session_deleted" => CoachingSessionDeleted,
        "note_created" => NoteCreated,
        "note_updated" => NoteUpdated,
        "note_document_updated" => NoteDocumentUpdated,
        "note_awareness_updated" => NoteAwarenessUpdated,
        "coaching_session_presence_changed" => CoachingSessionPresenceChanged,
        "organization_member_changed" => OrganizationMemberChanged,
        "organization_member_removed" => OrganizationMemberRemoved,
        "coaching_relationship_created" => CoachingRelationshipCreated,
        "coaching_relationship_deleted" => CoachingRelationshipDeleted,
        "user_updated" => UserUpdated,
        "notification_created" => NotificationCreated,
        "notifications_read" => NotificationsRead,
        "topic_created" => TopicCreated,
        "topic_updated" => TopicUpdated,
        "topic_deleted" => TopicDeleted,
        "topics_reordered" => TopicsReordered,
        "resync" => Resync,
    )
}

#[cfg(test)]
mod tests;

//! What reaches people when they are not looking [extension; the reference has none of these
//! routes]: the inbox (`/notifications`), which mails a person gets
//! (`/users/{id}/notification_settings`) and their private calendar feed
//! (`/users/{id}/calendar_feed`, served at `/calendar/<token>.ics`).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::*;

/// What an inbox item says the other person did for you.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ActionAssigned,
    SessionScheduled,
    SessionMoved,
    SessionCancelled,
    AgreementAdded,
    TopicAdded,
}

impl NotificationKind {
    /// Every kind.
    pub const ALL: [NotificationKind; 6] = [
        NotificationKind::ActionAssigned,
        NotificationKind::SessionScheduled,
        NotificationKind::SessionMoved,
        NotificationKind::SessionCancelled,
        NotificationKind::AgreementAdded,
        NotificationKind::TopicAdded,
    ];

    /// The stored and wire spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            NotificationKind::ActionAssigned => "action_assigned",
            NotificationKind::SessionScheduled => "session_scheduled",
            NotificationKind::SessionMoved => "session_moved",
            NotificationKind::SessionCancelled => "session_cancelled",
            NotificationKind::AgreementAdded => "agreement_added",
            NotificationKind::TopicAdded => "topic_added",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(stored: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|kind| kind.as_str() == stored)
    }
}

/// One item of a person's inbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// Who did it (absent when they have since left).
    pub actor_id: Option<UserId>,
    /// Their name as it was then.
    pub actor_name: String,
    /// What it is about: the action's or agreement's text, the session's title.
    pub subject: String,
    /// The session it belongs to (for a cancelled one, the session that was).
    pub coaching_session_id: Option<CoachingSessionId>,
    pub action_id: Option<ActionId>,
    /// The session's time (naive UTC, as sessions' `date`), for session items.
    #[serde(default, deserialize_with = "crate::wire_time::optional_naive_date_time")]
    pub session_date: Option<NaiveDateTime>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub read_at: Option<DateTime<Utc>>,
}

/// `GET /notifications`: the newest items (at most `limit`, 50 by default, 200 at most) of
/// the last 90 days, newest first, and how many of all of them are unread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub unread: u32,
    pub items: Vec<Notification>,
}

/// Query of `GET /notifications`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboxQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// `POST /notifications/read`: marks the items `ids` read, or every item when `all`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<NotificationId>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
}

/// `notification_created` [extension]: an item arrived in the receiver's inbox. Sent to
/// them only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationCreated {
    pub notification: Notification,
}

/// `notifications_read` [extension]: items were marked read (in any tab or device of the
/// receiver); the answer of `POST /notifications/read` too. Sent to the receiver only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationsRead {
    pub ids: Vec<NotificationId>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub read_at: DateTime<Utc>,
    /// Unread items left.
    pub unread: u32,
}

/// `GET` and `PUT /users/{id}/notification_settings`: which mails a person gets. Every field
/// of a `PUT` is optional; the answer is the whole, stored settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// Invitations to sessions scheduled, moved or cancelled (with their calendar file).
    pub session_invites: bool,
    /// A reminder a day before each session.
    pub reminder_day_before: bool,
    /// A reminder an hour before each session.
    pub reminder_hour_before: bool,
    /// A mail when the other person assigns you an action.
    pub action_assigned: bool,
    /// At most one mail a day listing your actions due in the next two days.
    pub action_digest: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            session_invites: true,
            reminder_day_before: true,
            reminder_hour_before: false,
            action_assigned: true,
            action_digest: true,
        }
    }
}

/// Body of `PUT /users/{id}/notification_settings`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettingsUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_invites: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_day_before: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_hour_before: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_assigned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_digest: Option<bool>,
}

impl NotificationSettings {
    /// These settings with `update`'s fields applied.
    pub fn with(self, update: NotificationSettingsUpdate) -> NotificationSettings {
        NotificationSettings {
            session_invites: update.session_invites.unwrap_or(self.session_invites),
            reminder_day_before: update.reminder_day_before.unwrap_or(self.reminder_day_before),
            reminder_hour_before: update.reminder_hour_before.unwrap_or(self.reminder_hour_before),
            action_assigned: update.action_assigned.unwrap_or(self.action_assigned),
            action_digest: update.action_digest.unwrap_or(self.action_digest),
        }
    }
}

/// `GET /users/{id}/calendar_feed`: whether the person has a feed. Its address is shown once,
/// when made (`POST`), since only a hash of its secret is kept; `DELETE` ends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalendarFeed {
    pub active: bool,
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub created_at: Option<DateTime<Utc>>,
    /// The feed's address (`…/calendar/<token>.ics`), in the answer of `POST` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_spelling() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(kind.as_str()));
        }
        assert_eq!(NotificationKind::parse("nope"), None);
    }

    #[test]
    fn a_settings_update_changes_only_what_it_names() {
        let update: NotificationSettingsUpdate = serde_json::from_str(r#"{"action_digest": false}"#).unwrap();
        let settings = NotificationSettings::default().with(update);
        assert!(!settings.action_digest && settings.session_invites && settings.reminder_day_before);
        assert!(serde_json::from_str::<NotificationSettingsUpdate>(r#"{"nope": true}"#).is_err());
    }

    #[test]
    fn mark_read_takes_ids_or_all() {
        let all: MarkRead = serde_json::from_str(r#"{"all": true}"#).unwrap();
        assert!(all.all && all.ids.is_empty());
        assert!(serde_json::from_str::<MarkRead>(r#"{"ids": ["x"]}"#).is_err());
    }
}

//! What instances tell each other through the database's notifications (PostgreSQL's
//! `NOTIFY`): a committed event with the id it has for each recipient, or logins that ended.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tandem_protocol::UserId;

use crate::auth::LoginId;

/// The notification channel of committed events.
pub const EVENTS_CHANNEL: &str = "tandem_events";
/// The notification channel of ended logins.
pub const LOGOUT_CHANNEL: &str = "tandem_logout";

/// PostgreSQL refuses a notification payload of 8000 bytes or more. Larger events travel by
/// id: the notice names them and each instance reads them from the events table.
pub const PAYLOAD_MAX: usize = 7900;

/// A committed event.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventNotice {
    /// Each recipient with the event's id for them.
    pub to: Vec<(UserId, u64)>,
    /// The event's name and data, unless too large to travel here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<NoticeBody>,
}

/// The name and the `data:` JSON of an event.
#[derive(Debug, Serialize, Deserialize)]
pub struct NoticeBody {
    pub name: String,
    pub data: Box<RawValue>,
}

impl EventNotice {
    /// The payload to send: with the event inline when it fits, else by id only.
    pub fn payload(to: Vec<(UserId, u64)>, name: &str, data: &str) -> String {
        let body = RawValue::from_string(data.to_owned()).ok().map(|data| NoticeBody { name: name.to_owned(), data });
        let full = EventNotice { to, event: body };
        match serde_json::to_string(&full) {
            Ok(text) if text.len() <= PAYLOAD_MAX => text,
            _ => serde_json::to_string(&EventNotice { to: full.to, event: None }).unwrap_or_default(),
        }
    }
}

/// Logins that ended: their streams get `force_logout` and close, on every instance.
#[derive(Debug, Serialize, Deserialize)]
pub struct LogoutNotice {
    pub user: UserId,
    pub logins: Vec<LoginId>,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: u128) -> UserId {
        UserId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn a_small_event_travels_inline() {
        let payload = EventNotice::payload(vec![(user(1), 7), (user(2), 12)], "note_updated", r#"{"a":1}"#);
        let notice: EventNotice = serde_json::from_str(&payload).unwrap();
        assert_eq!(notice.to, vec![(user(1), 7), (user(2), 12)]);
        let body = notice.event.unwrap();
        assert_eq!((body.name.as_str(), body.data.get()), ("note_updated", r#"{"a":1}"#));
    }

    #[test]
    fn a_large_event_travels_by_id_under_the_limit() {
        let data = format!(r#"{{"body":"{}"}}"#, "x".repeat(20_000));
        let payload = EventNotice::payload(vec![(user(1), 7)], "note_updated", &data);
        assert!(payload.len() < PAYLOAD_MAX, "{}", payload.len());
        let notice: EventNotice = serde_json::from_str(&payload).unwrap();
        assert_eq!(notice.to, vec![(user(1), 7)]);
        assert!(notice.event.is_none());
    }
}

//! Who has a coaching session's page open [extension].
//!
//! Each open page (tab) says so every few seconds (`PUT /coaching_sessions/{id}/presence`)
//! and goodbye when it closes (`DELETE`). A page that stops saying so (a closed laptop)
//! is gone after [`PRESENCE_TTL_SECS`]. The server tells the participants whenever the set
//! of people present changes; several tabs of one person count once.

use serde::{Deserialize, Serialize};

use crate::ids::{CoachingSessionId, UserId};

/// How long a page counts as open after it last said so.
pub const PRESENCE_TTL_SECS: u64 = 20;

/// How often an open page says so.
pub const PRESENCE_HEARTBEAT_SECS: u64 = 8;

/// `GET /coaching_sessions/{id}/presence`, and event `coaching_session_presence_changed`:
/// the people who have the session open now, each once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionPresence {
    pub coaching_session_id: CoachingSessionId,
    pub present: Vec<UserId>,
    /// How long a page counts as open after it last said so, when the server is set to
    /// another time than [`PRESENCE_TTL_SECS`]: a page then says so at least twice as often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_secs: Option<u64>,
}

impl SessionPresence {
    /// How often a page should say it is there, in milliseconds.
    pub fn heartbeat_ms(&self) -> u32 {
        let ttl_ms = self.ttl_secs.unwrap_or(PRESENCE_TTL_SECS).saturating_mul(1000);
        let ms = (PRESENCE_HEARTBEAT_SECS * 1000).min(ttl_ms / 2).max(250);
        u32::try_from(ms).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_says_it_is_there_well_within_its_time() {
        let at = |ttl_secs| SessionPresence {
            coaching_session_id: CoachingSessionId(uuid::Uuid::nil()),
            present: vec![],
            ttl_secs,
        };
        assert_eq!(at(None).heartbeat_ms(), 8_000);
        assert_eq!(at(Some(2)).heartbeat_ms(), 1_000);
        assert_eq!(at(Some(0)).heartbeat_ms(), 250);
        assert_eq!(at(Some(600)).heartbeat_ms(), 8_000);
    }
}

/// `PUT` and `DELETE /coaching_sessions/{id}/presence`: which page of the caller's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PresenceTab {
    /// A random name the page chose for itself (at most 64 characters).
    pub tab: String,
}

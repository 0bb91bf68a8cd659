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
}

/// `PUT` and `DELETE /coaching_sessions/{id}/presence`: which page of the caller's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PresenceTab {
    /// A random name the page chose for itself (at most 64 characters).
    pub tab: String,
}

//! Recurring coaching sessions (`/coaching_session_series`, `reference-api.md` 3.4 and 2.9):
//! every N weeks on chosen weekdays, until a date or for a count. Each occurrence is an
//! ordinary session that names its series; it can be moved or deleted on its own, and the
//! series rescheduled or deleted as a whole (its sessions still to come).
//!
//! The reference leaves the rule's shape open (`rule: object`); this is Tandem's.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::entities::CoachingSession;
use crate::ids::*;

/// Most sessions one series makes.
pub const SERIES_MAX_OCCURRENCES: u32 = 104;

/// When a series' sessions happen. Times are the first session's time of day in the coach's
/// time zone, so a weekly session stays at 9:00 across daylight-saving changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recurrence {
    /// Every this many weeks (1 to 52).
    pub interval_weeks: u32,
    /// On these days of the week (at least one).
    pub weekdays: Vec<Weekday>,
    /// Up to and including this day; or
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// this many sessions (exactly one of `until` and `count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// A series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoachingSessionSeries {
    pub id: CoachingSessionSeriesId,
    pub coaching_relationship_id: CoachingRelationshipId,
    pub rule: Recurrence,
    /// The first session's start (naive, UTC by convention).
    #[serde(deserialize_with = "crate::wire_time::naive_date_time")]
    pub start_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub ical_sequence: i32,
    pub created_by_user_id: UserId,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(deserialize_with = "crate::wire_time::instant")]
    pub updated_at: DateTime<Utc>,
}

/// `POST /coaching_session_series`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewSeries {
    pub coaching_relationship_id: CoachingRelationshipId,
    /// The first session's start (naive, UTC by convention).
    pub start_at: NaiveDateTime,
    pub recurrence: Recurrence,
    /// Default: the coach's preferred length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_url: Option<String>,
}

/// `PUT /coaching_session_series/{id}`: reschedules the series' sessions still to come.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesUpdate {
    pub start_at: NaiveDateTime,
    pub recurrence: Recurrence,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_minutes: Option<i32>,
}

/// What series routes answer: the series and its sessions, earliest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeriesWithSessions {
    pub series: CoachingSessionSeries,
    pub sessions: Vec<CoachingSession>,
}

/// `GET /coaching_session_series?coaching_relationship_id=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesQuery {
    pub coaching_relationship_id: CoachingRelationshipId,
}

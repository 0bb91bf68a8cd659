//! How far a goal has come (`GET /goals/{id}/progress`, `reference-api.md` 2.9 and 3.5).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// The reference's overall signal for a goal, from its actions' pace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GoalMomentum {
    /// Actions get done at a steady pace (or the goal is young).
    SolidMomentum,
    /// Actions fall behind: something is overdue or nothing was done lately.
    NeedsAttention,
    /// Most actions are overdue or nothing was done for long: time to talk it over.
    LetsRefocus,
}

impl GoalMomentum {
    /// How a person reads it.
    pub const fn label(self) -> &'static str {
        match self {
            GoalMomentum::SolidMomentum => "Solid momentum",
            GoalMomentum::NeedsAttention => "Needs attention",
            GoalMomentum::LetsRefocus => "Let's refocus",
        }
    }
}

/// `GET /goals/{id}/progress`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressMetrics {
    pub progress: GoalMomentum,
    pub actions_completed: u32,
    pub actions_total: u32,
    pub linked_coaching_session_count: u32,
    /// The latest linked session's date (naive, UTC by convention).
    #[serde(default)]
    pub last_coaching_session_date: Option<NaiveDateTime>,
    /// The earliest due date among the goal's open actions.
    #[serde(default, deserialize_with = "crate::wire_time::optional_instant")]
    pub next_action_due: Option<DateTime<Utc>>,
}

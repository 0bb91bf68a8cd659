//! Choices a person makes once and expects remembered: which organization and which
//! coaching relationship they are working in (kept per person), and the colour theme (per
//! browser). Kept in localStorage.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tandem_protocol::{CoachingRelationshipId, OrganizationId, UserId};
use yewdux::Store;

use crate::theme::Theme;

/// One person's choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub organization: Option<OrganizationId>,
    pub relationship: Option<CoachingRelationshipId>,
    /// The person picked the organization themselves (else it was a default, which the
    /// workspace moves to an organization where they have a relationship).
    #[serde(default)]
    pub picked: bool,
}

/// Everyone's choices on this browser, by person.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Store)]
#[store(storage = "local", storage_tab_sync)]
pub struct Preferences {
    pub chosen: HashMap<UserId, Choice>,
    /// The colour theme of this browser (not per person).
    #[serde(default)]
    pub theme: Theme,
    /// Whether the sidebar of wide screens is collapsed on this browser.
    #[serde(default)]
    pub sidebar_collapsed: bool,
}

impl Preferences {
    /// The choices of `user`.
    pub fn of(&self, user: UserId) -> Choice {
        self.chosen.get(&user).copied().unwrap_or_default()
    }
}

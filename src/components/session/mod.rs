//! The sections of a coaching session page.

pub mod actions;
pub mod agreements;
pub mod goals;
pub mod notes;
pub mod presence;
pub mod title;

use tandem_protocol::{CoachingRelationship, UserId};

/// The two people of a relationship, as (id, full name), coach first.
pub fn participants(relationship: Option<&CoachingRelationship>) -> Vec<(UserId, String)> {
    relationship
        .map(|r| {
            vec![
                (r.coach_id, format!("{} {}", r.coach_first_name, r.coach_last_name)),
                (r.coachee_id, format!("{} {}", r.coachee_first_name, r.coachee_last_name)),
            ]
        })
        .unwrap_or_default()
}

//! How a coaching relationship's people are named, from either side.

use tandem_protocol::{CoachingRelationship, LoginUser, UserId};

/// How a relationship reads in the picker, from the person's side.
pub fn relationship_label(relationship: &CoachingRelationship, me: Option<&LoginUser>) -> String {
    let (coach, coachee) = (relationship.coach_name(), relationship.coachee_name());
    match me {
        Some(me) if me.id == relationship.coach_id => format!("Coaching {coachee}"),
        Some(me) if me.id == relationship.coachee_id => format!("Coached by {coach}"),
        _ => format!("{coach} coaching {coachee}"),
    }
}

/// The two people of a relationship, as (id, full name), coach first.
pub fn participants(relationship: Option<&CoachingRelationship>) -> Vec<(UserId, String)> {
    relationship.map(|r| vec![(r.coach_id, r.coach_name()), (r.coachee_id, r.coachee_name())]).unwrap_or_default()
}

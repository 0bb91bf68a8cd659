//! A coaching session's name, and the sessions around a date.

use chrono::{Duration, NaiveDate};
use tandem_protocol::{
    CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionsQuery, SessionSortField, SortOrder,
};

use crate::api::resources::{self, Resource};

/// A session's name, the same on every screen: its title; else the name the session list
/// gave it (the reference app's "Alex <> Sam"); else that name made from the relationship.
pub fn session_name(session: &CoachingSession, relationship: Option<&CoachingRelationship>) -> String {
    let given = |name: &Option<String>| name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    given(&session.title)
        .or_else(|| given(&session.display_title))
        .or_else(|| relationship.map(|r| format!("{} <> {}", r.coach_first_name, r.coachee_first_name)))
        .unwrap_or_else(|| "Coaching session".into())
}

/// The relationship's sessions within a year either side of `day`, oldest first: one request
/// (and one cache entry) for the page's neighbours and its earlier sessions' due actions.
pub fn sessions_around(relationship: CoachingRelationshipId, day: NaiveDate) -> Resource<Vec<CoachingSession>> {
    resources::sessions(CoachingSessionsQuery {
        coaching_relationship_id: relationship,
        from_date: day - Duration::days(366),
        to_date: day + Duration::days(366),
        sort_by: Some(SessionSortField::Date),
        sort_order: Some(SortOrder::Asc),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures;

    #[test]
    fn an_untitled_session_has_one_derived_name_wherever_it_is_shown() {
        let relationship = fixtures::relationship();
        let mut session = fixtures::session(fixtures::S1, fixtures::R1, 11, 30, 0);
        session.title = Some("  Presence  ".into());
        assert_eq!(session_name(&session, Some(&relationship)), "Presence");
        session.title = None;
        session.display_title = Some("Alex <> Sam".into());
        assert_eq!(session_name(&session, None), "Alex <> Sam");
        session.display_title = None;
        let derived = format!("{} <> {}", relationship.coach_first_name, relationship.coachee_first_name);
        assert_eq!(session_name(&session, Some(&relationship)), derived);
        session.title = Some(" ".into());
        assert_eq!(session_name(&session, Some(&relationship)), derived);
        assert_eq!(session_name(&session, None), "Coaching session");
    }
}

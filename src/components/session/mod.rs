//! The sections of a coaching session page.

pub mod actions;
pub mod agreements;
pub mod goals;
pub mod notes;
pub mod overview;
pub mod presence;
pub mod title;

use tandem_protocol::{CoachingRelationship, CoachingSession, UserId};

/// The two people of a relationship, as (id, full name), coach first.
pub fn participants(relationship: Option<&CoachingRelationship>) -> Vec<(UserId, String)> {
    relationship.map(|r| vec![(r.coach_id, r.coach_name()), (r.coachee_id, r.coachee_name())]).unwrap_or_default()
}

/// A session's name, the same on every screen: its title; else the name the session list
/// gave it (the reference app's "Alex <> Sam"); else that name made from the relationship.
pub fn session_name(session: &CoachingSession, relationship: Option<&CoachingRelationship>) -> String {
    let given = |name: &Option<String>| name.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
    given(&session.title)
        .or_else(|| given(&session.display_title))
        .or_else(|| relationship.map(|r| format!("{} <> {}", r.coach_first_name, r.coachee_first_name)))
        .unwrap_or_else(|| "Coaching session".into())
}

/// A panel heading's count ("3", "1/3 in progress"), once its list is there.
pub fn panel_count(count: Option<String>) -> yew::Html {
    match count {
        Some(count) => yew::html! { <span class="panel-count" data-testid="panel-count">{ count }</span> },
        None => yew::Html::default(),
    }
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

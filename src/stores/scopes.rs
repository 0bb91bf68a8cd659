//! Ready-made cache predicates, one per scope a change can touch, and the invalidation
//! entry point the SSE agent calls. Scopes are narrow on purpose: an action event of one
//! session must not refetch every action list.

use std::rc::Rc;

use tandem_protocol::{ActionId, AgreementId, CoachingRelationshipId, CoachingSessionId, GoalId, NoteId};

use super::cache::{CacheAction, CacheKey, CacheStore, Predicate};
use super::dispatch;

fn list_of(path: &'static str, param: &'static str, id: String) -> Predicate {
    Rc::new(move |key: &CacheKey| key.path() == path && key.param(param) == Some(id.as_str()))
}

fn exactly(path: String) -> Predicate {
    Rc::new(move |key: &CacheKey| key.path() == path)
}

/// The action lists of one session.
pub fn session_actions(session: CoachingSessionId) -> Predicate {
    list_of("/actions", "coaching_session_id", session.to_string())
}

/// One action.
pub fn action(id: ActionId) -> Predicate {
    exactly(format!("/actions/{id}"))
}

/// Every person's action lists (`/users/{id}/actions`, any filters).
pub fn user_actions() -> Predicate {
    Rc::new(|key: &CacheKey| key.path().starts_with("/users/") && key.path().ends_with("/actions"))
}

/// The agreements of one session.
pub fn session_agreements(session: CoachingSessionId) -> Predicate {
    list_of("/agreements", "coaching_session_id", session.to_string())
}

/// One agreement.
pub fn agreement(id: AgreementId) -> Predicate {
    exactly(format!("/agreements/{id}"))
}

/// The notes of one session.
pub fn session_notes(session: CoachingSessionId) -> Predicate {
    list_of("/notes", "coaching_session_id", session.to_string())
}

/// One note.
pub fn note(id: NoteId) -> Predicate {
    exactly(format!("/notes/{id}"))
}

/// The goal lists of one relationship.
pub fn relationship_goals(relationship: CoachingRelationshipId) -> Predicate {
    list_of("/goals", "coaching_relationship_id", relationship.to_string())
}

/// One goal.
pub fn goal(id: GoalId) -> Predicate {
    exactly(format!("/goals/{id}"))
}

/// The goals linked to one session.
pub fn session_goals(session: CoachingSessionId) -> Predicate {
    exactly(format!("/coaching_sessions/{session}/goals"))
}

/// The session lists of one relationship.
pub fn relationship_sessions(relationship: CoachingRelationshipId) -> Predicate {
    list_of("/coaching_sessions", "coaching_relationship_id", relationship.to_string())
}

/// One session.
pub fn session(id: CoachingSessionId) -> Predicate {
    exactly(format!("/coaching_sessions/{id}"))
}

/// Every entry (after a `resync`, or a reconnect without replay).
pub fn everything() -> Predicate {
    Rc::new(|_: &CacheKey| true)
}

/// Any of several predicates.
pub fn any_of(predicates: Vec<Predicate>) -> Predicate {
    Rc::new(move |key: &CacheKey| predicates.iter().any(|p| p(key)))
}

/// Marks what `matches` selects stale; mounted entries refetch, the rest on next mount.
pub fn invalidate(matches: Predicate) {
    dispatch::<CacheStore>().apply(CacheAction::Invalidate(matches));
}

/// Writes a mutation's answer into every cached `T` that `matches` selects: `update` gets the
/// cached value and returns the new one (None leaves it). The person who acted sees the
/// result at once, without waiting for a refetch or an event.
pub fn write_through<T: 'static>(matches: Predicate, update: impl Fn(&CacheKey, &T) -> Option<T> + 'static) {
    let update = Rc::new(move |key: &CacheKey, old: &Rc<dyn std::any::Any>| {
        let old = old.downcast_ref::<T>()?;
        update(key, old).map(|new| Rc::new(new) as Rc<dyn std::any::Any>)
    });
    dispatch::<CacheStore>().apply(CacheAction::WriteThrough { matches, update });
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn key(path: &str, query: &[(&str, String)]) -> CacheKey {
        CacheKey::new(path, query.iter().map(|(n, v)| (n.to_string(), v.clone())))
    }

    #[test]
    fn scopes_select_only_their_own_keys() {
        let (s1, s2) = (CoachingSessionId(Uuid::from_u128(1)), CoachingSessionId(Uuid::from_u128(2)));
        let r1 = CoachingRelationshipId(Uuid::from_u128(3));
        let actions_s1 = key("/actions", &[("coaching_session_id", s1.to_string())]);
        let actions_s2 = key("/actions", &[("coaching_session_id", s2.to_string())]);
        let agreements_s1 = key("/agreements", &[("coaching_session_id", s1.to_string())]);
        let goals_r1 = key("/goals", &[("coaching_relationship_id", r1.to_string()), ("status", "InProgress".into())]);
        let sessions_r1 = key("/coaching_sessions", &[("coaching_relationship_id", r1.to_string())]);
        let linked_s1 = key(&format!("/coaching_sessions/{s1}/goals"), &[]);
        let one_session = key(&format!("/coaching_sessions/{s1}"), &[]);
        let mine = key("/users/u1/actions", &[("status", "InProgress".into())]);

        assert!(session_actions(s1)(&actions_s1));
        assert!(!session_actions(s1)(&actions_s2));
        assert!(!session_actions(s1)(&agreements_s1));
        assert!(session_agreements(s1)(&agreements_s1));
        assert!(relationship_goals(r1)(&goals_r1));
        assert!(relationship_sessions(r1)(&sessions_r1));
        assert!(!relationship_sessions(r1)(&one_session));
        assert!(session(s1)(&one_session) && !session(s1)(&linked_s1));
        assert!(session_goals(s1)(&linked_s1));
        assert!(user_actions()(&mine) && !user_actions()(&actions_s1));
        assert!(any_of(vec![session_actions(s2), session_goals(s1)])(&linked_s1));
        assert!(everything()(&mine));
    }
}

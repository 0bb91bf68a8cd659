//! From events to the cache: one table, [`scopes`], says which cached data every event type
//! makes stale, scoped by the ids in its payload. [`apply`] acts on it: an event that carries
//! the changed entity writes it straight into the cache (no request at all); the others
//! invalidate their scopes, and only what is on screen refetches.

use std::collections::HashSet;
use std::rc::Rc;

use tandem_protocol::{
    ActionId, AgreementId, CoachingRelationshipId, CoachingSession, CoachingSessionId, Event, GoalId, NoteId,
    SessionRetitled,
};

use crate::stores::cache::{CacheKey, CacheStore, Predicate};
use crate::stores::{dispatch, scopes, writes};

/// A part of the cache an event can make stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    SessionActions(CoachingSessionId),
    Action(ActionId),
    /// Every person's action lists (an action's assignees are not known from its list key).
    UserActions,
    SessionAgreements(CoachingSessionId),
    Agreement(AgreementId),
    RelationshipGoals(CoachingRelationshipId),
    Goal(GoalId),
    SessionGoals(CoachingSessionId),
    /// The linked-goal lists of every session of a relationship.
    SessionGoalsOfRelationship(CoachingRelationshipId),
    RelationshipSessions(CoachingRelationshipId),
    Session(CoachingSessionId),
    SessionNotes(CoachingSessionId),
    Note(NoteId),
    Everything,
}

/// The table: what each event type makes stale. Reference-only events (topics, recordings,
/// transcriptions) touch nothing this app shows; `force_logout` is handled by the agent.
pub fn scopes(event: &Event) -> Vec<Scope> {
    use Scope::*;
    match event {
        Event::ActionCreated(e) | Event::ActionUpdated(e) => {
            vec![SessionActions(e.coaching_session_id), Action(e.action.id), UserActions]
        }
        Event::ActionDeleted(e) => vec![SessionActions(e.coaching_session_id), Action(e.action_id), UserActions],
        Event::AgreementCreated(e) | Event::AgreementUpdated(e) => {
            vec![SessionAgreements(e.coaching_session_id), Agreement(e.agreement.id)]
        }
        Event::AgreementDeleted(e) => vec![SessionAgreements(e.coaching_session_id), Agreement(e.agreement_id)],
        Event::GoalCreated(e) | Event::GoalUpdated(e) => vec![
            RelationshipGoals(e.coaching_relationship_id),
            Goal(e.goal.id),
            SessionGoalsOfRelationship(e.coaching_relationship_id),
        ],
        Event::GoalDeleted(e) => vec![
            RelationshipGoals(e.coaching_relationship_id),
            Goal(e.goal_id),
            SessionGoalsOfRelationship(e.coaching_relationship_id),
        ],
        Event::CoachingSessionGoalCreated(e) | Event::CoachingSessionGoalDeleted(e) => {
            vec![SessionGoals(e.coaching_session_id), Goal(e.goal_id)]
        }
        // The session, and (through the cached session) its relationship's session lists.
        Event::CoachingSessionTitleUpdated(e) => vec![Session(e.coaching_session_id)],
        Event::CoachingSessionCreated(e) | Event::CoachingSessionUpdated(e) | Event::CoachingSessionDeleted(e) => {
            vec![Session(e.coaching_session_id), RelationshipSessions(e.coaching_relationship_id)]
        }
        Event::NoteCreated(e) | Event::NoteUpdated(e) => vec![SessionNotes(e.coaching_session_id), Note(e.note.id)],
        Event::Resync(_) => vec![Everything],
        Event::TopicsChanged(_)
        | Event::MeetingRecordingUpdated(_)
        | Event::TranscriptionUpdated(_)
        | Event::ForceLogout(_) => Vec::new(),
    }
}

fn path_is(path: String) -> Predicate {
    Rc::new(move |key: &CacheKey| key.path() == path)
}

/// The sessions of a relationship that the cache knows of (from single sessions and lists).
fn cached_sessions_of(cache: &CacheStore, relationship: CoachingRelationshipId) -> HashSet<CoachingSessionId> {
    let mut found = HashSet::new();
    for key in cache.keys() {
        let Some(entry) = cache.entry(key) else { continue };
        if let Some(session) = entry.get::<CoachingSession>() {
            if session.coaching_relationship_id == relationship {
                found.insert(session.id);
            }
        }
        if let Some(list) = entry.get::<Vec<CoachingSession>>() {
            found.extend(list.iter().filter(|s| s.coaching_relationship_id == relationship).map(|s| s.id));
        }
    }
    found
}

impl Scope {
    /// The cache keys this scope covers.
    pub fn predicate(&self, cache: &CacheStore) -> Predicate {
        match self {
            Scope::SessionActions(s) => scopes::session_actions(*s),
            Scope::Action(a) => scopes::action(*a),
            Scope::UserActions => scopes::user_actions(),
            Scope::SessionAgreements(s) => scopes::session_agreements(*s),
            Scope::Agreement(a) => scopes::agreement(*a),
            Scope::RelationshipGoals(r) => scopes::relationship_goals(*r),
            Scope::Goal(g) => scopes::goal(*g),
            Scope::SessionGoals(s) => scopes::session_goals(*s),
            Scope::SessionGoalsOfRelationship(r) => {
                let paths: HashSet<String> = cached_sessions_of(cache, *r)
                    .into_iter()
                    .map(|s| format!("/coaching_sessions/{s}/goals"))
                    .collect();
                Rc::new(move |key: &CacheKey| paths.contains(key.path()))
            }
            Scope::RelationshipSessions(r) => scopes::relationship_sessions(*r),
            Scope::Session(s) => {
                // The session itself, and the lists of its relationship (titles show there).
                let relationship = cache
                    .entry(&CacheKey::path_only(format!("/coaching_sessions/{s}")))
                    .and_then(|e| e.get::<CoachingSession>())
                    .map(|session| session.coaching_relationship_id);
                let lists: Predicate = match relationship {
                    Some(r) => scopes::relationship_sessions(r),
                    None => Rc::new(|key: &CacheKey| key.path() == "/coaching_sessions"),
                };
                scopes::any_of(vec![path_is(format!("/coaching_sessions/{s}")), lists])
            }
            Scope::SessionNotes(s) => scopes::session_notes(*s),
            Scope::Note(n) => scopes::note(*n),
            Scope::Everything => scopes::everything(),
        }
    }
}

/// Brings the cache up to date with one event; returns what was done, for the console.
pub fn apply(event: &Event) -> String {
    match event {
        Event::ActionCreated(e) | Event::ActionUpdated(e) => {
            writes::action_saved(&e.action);
            format!("wrote action {} into session {}", e.action.id, e.coaching_session_id)
        }
        Event::ActionDeleted(e) => {
            writes::action_deleted(e.coaching_session_id, e.action_id);
            format!("removed action {} from session {}", e.action_id, e.coaching_session_id)
        }
        Event::AgreementCreated(e) | Event::AgreementUpdated(e) => {
            writes::agreement_saved(&e.agreement);
            format!("wrote agreement {} into session {}", e.agreement.id, e.coaching_session_id)
        }
        Event::AgreementDeleted(e) => {
            writes::agreement_deleted(e.coaching_session_id, e.agreement_id);
            format!("removed agreement {} from session {}", e.agreement_id, e.coaching_session_id)
        }
        Event::GoalCreated(e) | Event::GoalUpdated(e) => {
            writes::goal_saved(&e.goal);
            format!("wrote goal {} into relationship {}", e.goal.id, e.coaching_relationship_id)
        }
        Event::GoalDeleted(e) => {
            writes::goal_deleted(e.coaching_relationship_id, e.goal_id);
            format!("removed goal {} from relationship {}", e.goal_id, e.coaching_relationship_id)
        }
        Event::NoteCreated(e) | Event::NoteUpdated(e) => {
            writes::note_saved(&e.note);
            format!("wrote note {} into session {}", e.note.id, e.coaching_session_id)
        }
        Event::CoachingSessionTitleUpdated(SessionRetitled { coaching_session: Some(session), .. }) => {
            writes::session_retitled(session);
            format!("wrote the new title of session {}", session.id)
        }
        other => {
            let table = scopes(other);
            if table.is_empty() {
                return format!("nothing to do for {}", other.name());
            }
            let cache = dispatch::<CacheStore>().get();
            let predicates = table.iter().map(|scope| scope.predicate(&cache)).collect();
            scopes::invalidate(scopes::any_of(predicates));
            format!("revalidated {table:?} for {}", other.name())
        }
    }
}

#[cfg(test)]
mod tests;

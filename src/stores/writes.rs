//! What each successful write does to the cache: the server's answer goes straight into
//! every cached list and entity it belongs to, so the person who acted sees it at once.
//! Where the answer does not carry the new state (a reschedule answers no data, a link only
//! the link), the affected entries are invalidated instead and refetch while shown.

use std::rc::Rc;

use tandem_protocol::{
    Action, ActionId, Agreement, AgreementId, CoachingRelationshipId, CoachingSession, CoachingSessionId, Goal, GoalId,
    Note, SortOrder, Status,
};

use super::cache::{CacheKey, Predicate};
use super::scopes::{self, any_of, invalidate, write_through};

/// Things with an id, kept in lists.
pub trait Identified {
    type Id: PartialEq + Copy;
    fn id(&self) -> Self::Id;
}

macro_rules! identified {
    ($($ty:ty => $id:ty),* $(,)?) => {$(
        impl Identified for $ty {
            type Id = $id;
            fn id(&self) -> $id {
                self.id
            }
        }
    )*};
}

identified!(Action => ActionId, Agreement => AgreementId, Goal => GoalId, Note => tandem_protocol::NoteId, CoachingSession => CoachingSessionId);

/// Replaces the item with the same id, or appends it.
pub fn upsert<T: Identified + Clone>(list: &[T], item: &T) -> Vec<T> {
    let mut list = list.to_vec();
    match list.iter_mut().find(|existing| existing.id() == item.id()) {
        Some(existing) => *existing = item.clone(),
        None => list.push(item.clone()),
    }
    list
}

/// The list without the item of this id, or None when it was not there.
pub fn without<T: Identified + Clone>(list: &[T], id: T::Id) -> Option<Vec<T>> {
    list.iter().any(|item| item.id() == id).then(|| list.iter().filter(|item| item.id() != id).cloned().collect())
}

fn upsert_everywhere<T: Identified + Clone + 'static>(lists: Predicate, item: &T) {
    let item = item.clone();
    write_through::<Vec<T>>(lists, move |_, list| Some(upsert(list, &item)));
}

fn remove_everywhere<T: Identified + Clone + 'static>(lists: Predicate, id: T::Id) {
    write_through::<Vec<T>>(lists, move |_, list| without(list, id));
}

fn replace_entity<T: Clone + 'static>(entity: Predicate, item: &T) {
    let item = item.clone();
    write_through::<T>(entity, move |_, _| Some(item.clone()));
}

/// A session was scheduled: it joins the lists of its relationship that cover its date.
pub fn session_created(session: &CoachingSession) {
    let session = session.clone();
    write_through::<Vec<CoachingSession>>(
        scopes::relationship_sessions(session.coaching_relationship_id),
        move |key, list| {
            let day = crate::time::date_input(session.date.date());
            let in_range = key.param("from_date").is_none_or(|from| day.as_str() >= from)
                && key.param("to_date").is_none_or(|to| day.as_str() <= to);
            if !in_range {
                return None;
            }
            let mut list = upsert(list, &session);
            list.sort_by_key(|s| s.date);
            if key.param("sort_order") == Some(SortOrder::Desc.as_str()) {
                list.reverse();
            }
            Some(list)
        },
    );
}

/// A session was rescheduled or changed: the server answers no data, so refetch.
pub fn session_changed(relationship: CoachingRelationshipId, session: CoachingSessionId) {
    invalidate(any_of(vec![scopes::relationship_sessions(relationship), scopes::session(session)]));
}

/// A session was deleted.
pub fn session_deleted(relationship: CoachingRelationshipId, session: CoachingSessionId) {
    remove_everywhere::<CoachingSession>(scopes::relationship_sessions(relationship), session);
}

/// A session got a new title.
pub fn session_retitled(session: &CoachingSession) {
    replace_entity(scopes::session(session.id), session);
    let session = session.clone();
    write_through::<Vec<CoachingSession>>(
        scopes::relationship_sessions(session.coaching_relationship_id),
        move |_, list| {
            let mut list = list.to_vec();
            let existing = list.iter_mut().find(|s| s.id == session.id)?;
            existing.title = session.title.clone();
            existing.display_title = session.title.clone().or(existing.display_title.take());
            Some(list)
        },
    );
}

/// An action was created or changed.
pub fn action_saved(action: &Action) {
    upsert_everywhere(scopes::session_actions(action.coaching_session_id), action);
    replace_entity(scopes::action(action.id), action);
    // Filtered per-person lists cannot be patched reliably: refetch those on screen.
    invalidate(scopes::user_actions());
}

/// An action was deleted.
pub fn action_deleted(session: CoachingSessionId, id: ActionId) {
    remove_everywhere::<Action>(scopes::session_actions(session), id);
    invalidate(scopes::user_actions());
}

/// An agreement was created or changed.
pub fn agreement_saved(agreement: &Agreement) {
    upsert_everywhere(scopes::session_agreements(agreement.coaching_session_id), agreement);
}

/// An agreement was deleted.
pub fn agreement_deleted(session: CoachingSessionId, id: AgreementId) {
    remove_everywhere::<Agreement>(scopes::session_agreements(session), id);
}

/// A note was created or changed.
pub fn note_saved(note: &Note) {
    upsert_everywhere(scopes::session_notes(note.coaching_session_id), note);
}

/// A goal was created or changed: into the relationship's lists (respecting a `status`
/// filter) and wherever a session lists it as linked.
pub fn goal_saved(goal: &Goal) {
    let saved = goal.clone();
    write_through::<Vec<Goal>>(scopes::relationship_goals(goal.coaching_relationship_id), move |key, list| {
        match key.param("status").and_then(Status::parse) {
            Some(status) if status != saved.status => without(list, saved.id),
            _ => Some(upsert(list, &saved)),
        }
    });
    let saved = goal.clone();
    write_through::<Vec<Goal>>(Rc::new(is_session_goals), move |_, list| {
        list.iter().any(|g| g.id == saved.id).then(|| upsert(list, &saved))
    });
}

/// A goal was deleted.
pub fn goal_deleted(relationship: CoachingRelationshipId, id: GoalId) {
    remove_everywhere::<Goal>(any_of(vec![scopes::relationship_goals(relationship), Rc::new(is_session_goals)]), id);
}

/// A goal was linked to a session; linking may have put it in progress, so refetch both.
pub fn goal_linked(relationship: CoachingRelationshipId, session: CoachingSessionId) {
    invalidate(any_of(vec![scopes::session_goals(session), scopes::relationship_goals(relationship)]));
}

/// A goal was unlinked from a session.
pub fn goal_unlinked(session: CoachingSessionId, goal: GoalId) {
    remove_everywhere::<Goal>(scopes::session_goals(session), goal);
}

fn is_session_goals(key: &CacheKey) -> bool {
    key.path().starts_with("/coaching_sessions/") && key.path().ends_with("/goals")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Item(u8, &'static str);

    impl Identified for Item {
        type Id = u8;
        fn id(&self) -> u8 {
            self.0
        }
    }

    #[test]
    fn upsert_replaces_in_place_or_appends() {
        let list = vec![Item(1, "a"), Item(2, "b")];
        assert_eq!(upsert(&list, &Item(2, "B")), vec![Item(1, "a"), Item(2, "B")]);
        assert_eq!(upsert(&list, &Item(3, "c")), vec![Item(1, "a"), Item(2, "b"), Item(3, "c")]);
    }

    #[test]
    fn without_reports_a_missing_item_as_no_change() {
        let list = vec![Item(1, "a"), Item(2, "b")];
        assert_eq!(without(&list, 1), Some(vec![Item(2, "b")]));
        assert_eq!(without(&list, 9), None);
    }
}

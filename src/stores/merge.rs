//! What one change does to one cached answer, resource by resource: the `match` over every
//! [`Key`] (no catch-all, so a new resource must decide here). An entity replaces the cached
//! one only if it is not older than it (`updated_at`); an older one revalidates the entry
//! instead, so an event that arrives after a newer fetch never puts old data on screen.

use std::any::Any;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use tandem_protocol::{
    Action, Agreement, CoachingRelationship, CoachingSession, CoachingSessionsQuery, Goal, Inbox, Note, Notification,
    NotificationsRead, Organization, OrganizationStatus, SessionPresence, SortOrder, Topic, TopicId, User, UserUpdated,
};

use super::change::{Entity, Removed, Scope};
use crate::api::resources::Key;

/// What a change does to one entry.
pub enum Outcome {
    /// The change is not about this entry.
    Irrelevant,
    /// It is about this entry, whose data stays as it is (already there, or nothing loaded).
    Unchanged,
    /// The entry's new data.
    Replaced(Rc<dyn Any>),
    /// The entry must be fetched again.
    Revalidate,
}

/// A value with an id and a version.
pub trait Versioned: Clone + PartialEq + 'static {
    type Id: PartialEq + Copy;
    fn id(&self) -> Self::Id;
    fn updated_at(&self) -> DateTime<Utc>;
}

macro_rules! versioned {
    ($($entity:ty => $id:ty),* $(,)?) => {$(
        impl Versioned for $entity {
            type Id = $id;
            fn id(&self) -> $id {
                self.id
            }
            fn updated_at(&self) -> DateTime<Utc> {
                self.updated_at
            }
        }
    )*};
}

versioned!(
    Action => tandem_protocol::ActionId,
    Agreement => tandem_protocol::AgreementId,
    Goal => tandem_protocol::GoalId,
    Note => tandem_protocol::NoteId,
    Topic => tandem_protocol::TopicId,
    CoachingSession => tandem_protocol::CoachingSessionId,
    CoachingRelationship => tandem_protocol::CoachingRelationshipId,
    Organization => tandem_protocol::OrganizationId,
    User => tandem_protocol::UserId,
);

/// A change to one value.
#[derive(Debug, PartialEq)]
pub enum Patch<T> {
    Same,
    New(T),
    /// The change is older than what is held.
    Older,
}

/// The new version of one entity, unless it is older or the same.
pub fn replace<T: Versioned>(held: &T, new: &T) -> Patch<T> {
    if held.updated_at() > new.updated_at() {
        Patch::Older
    } else if held == new {
        Patch::Same
    } else {
        Patch::New(new.clone())
    }
}

/// The list with `item` in place of the one with its id, or appended.
pub fn upsert<T: Versioned>(list: &[T], item: &T) -> Patch<Vec<T>> {
    match list.iter().position(|held| held.id() == item.id()) {
        Some(at) => match replace(&list[at], item) {
            Patch::New(item) => {
                let mut list = list.to_vec();
                list[at] = item;
                Patch::New(list)
            }
            Patch::Same => Patch::Same,
            Patch::Older => Patch::Older,
        },
        None => {
            let mut list = list.to_vec();
            list.push(item.clone());
            Patch::New(list)
        }
    }
}

/// The agenda with `topic` in its place: by `position`, a stable sort, so where every
/// position is 0 (the reference sends none) the list's own order stands and a new topic goes
/// last.
pub fn topic_in_place(list: &[Topic], topic: &Topic) -> Patch<Vec<Topic>> {
    match upsert(list, topic) {
        Patch::New(mut list) => {
            list.sort_by_key(|t| t.position);
            Patch::New(list)
        }
        other => other,
    }
}

/// The agenda in the order of `ids`, positions renumbered; an order that does not name exactly
/// the topics held (an event missed, or a topic not yet here) says fetch it again.
pub fn topics_ordered(list: &[Topic], ids: &[TopicId]) -> Patch<Vec<Topic>> {
    if list.len() != ids.len() {
        return Patch::Older;
    }
    let mut ordered = Vec::with_capacity(ids.len());
    for (at, id) in ids.iter().enumerate() {
        let Some(held) = list.iter().find(|t| t.id == *id) else { return Patch::Older };
        let mut topic = held.clone();
        topic.position = i32::try_from(at).unwrap_or(i32::MAX);
        ordered.push(topic);
    }
    if ordered == list {
        Patch::Same
    } else {
        Patch::New(ordered)
    }
}

/// The list without the item of this id.
pub fn without<T: Versioned>(list: &[T], id: T::Id) -> Patch<Vec<T>> {
    if list.iter().any(|item| item.id() == id) {
        Patch::New(list.iter().filter(|item| item.id() != id).cloned().collect())
    } else {
        Patch::Same
    }
}

/// A session in a list of a date range: in its place by date when its date is in range
/// (it may have been rescheduled into it), gone when it is not (or out of it).
pub fn session_in_range(
    query: &CoachingSessionsQuery,
    list: &[CoachingSession],
    session: &CoachingSession,
) -> Patch<Vec<CoachingSession>> {
    let day = session.date.date();
    if day < query.from_date || day > query.to_date {
        return without(list, session.id);
    }
    // Lists carry a display title that a single session lacks: an untitled session keeps the
    // one the list derived for it.
    let mut session = session.clone();
    if session.display_title.is_none() {
        let held = list.iter().find(|held| held.id == session.id);
        session.display_title = match (&session.title, held) {
            (Some(title), _) => Some(title.clone()),
            (None, Some(held)) if held.title.is_none() => held.display_title.clone(),
            (None, _) => None,
        };
    }
    match upsert(list, &session) {
        Patch::New(mut list) => {
            list.sort_by_key(|s| s.date);
            if query.sort_order == Some(SortOrder::Desc) {
                list.reverse();
            }
            Patch::New(list)
        }
        other => other,
    }
}

/// Every item of the list after `rename`, unless it changed none.
fn renamed<T: Clone + PartialEq>(list: &[T], rename: impl Fn(&mut T)) -> Patch<Vec<T>> {
    let new: Vec<T> = list
        .iter()
        .cloned()
        .map(|mut item| {
            rename(&mut item);
            item
        })
        .collect();
    if new == list {
        Patch::Same
    } else {
        Patch::New(new)
    }
}

/// The relationships with a person's new name on their side.
pub fn rename_in_relationships(list: &[CoachingRelationship], names: &UserUpdated) -> Patch<Vec<CoachingRelationship>> {
    renamed(list, |r| {
        if r.coach_id == names.user_id {
            r.coach_first_name.clone_from(&names.first_name);
            r.coach_last_name.clone_from(&names.last_name);
        }
        if r.coachee_id == names.user_id {
            r.coachee_first_name.clone_from(&names.first_name);
            r.coachee_last_name.clone_from(&names.last_name);
        }
    })
}

/// The members with a person's new name.
pub fn rename_in_members(list: &[User], names: &UserUpdated) -> Patch<Vec<User>> {
    renamed(list, |user| {
        if user.id == names.user_id {
            user.first_name.clone_from(&names.first_name);
            user.last_name.clone_from(&names.last_name);
            user.display_name.clone_from(&names.display_name);
        }
    })
}

/// An organization in a list by status: in its place when it has that status, else gone.
pub fn organization_in(
    status: OrganizationStatus,
    list: &[Organization],
    o: &Organization,
) -> Patch<Vec<Organization>> {
    let shown = match status {
        OrganizationStatus::Active => o.archived_at.is_none(),
        OrganizationStatus::Archived => o.archived_at.is_some(),
        OrganizationStatus::All => true,
    };
    if shown {
        upsert(list, o)
    } else {
        without(list, o.id)
    }
}

/// The inbox with a new item in its place by time (newest first), counted when unread. An
/// item it already holds (the same event relayed twice) changes nothing.
pub fn inbox_with(inbox: &Inbox, item: &Notification) -> Patch<Inbox> {
    if inbox.items.iter().any(|held| held.id == item.id) {
        return Patch::Same;
    }
    let mut items = inbox.items.clone();
    let at = items.iter().position(|held| held.created_at <= item.created_at).unwrap_or(items.len());
    items.insert(at, item.clone());
    Patch::New(Inbox { unread: inbox.unread + u32::from(item.read_at.is_none()), items })
}

/// The inbox with these items read. When it holds every item read, the unread count goes down
/// by those that were unread here, so an answer that arrives after a newer item's event does
/// not undo that item's count, and the event that echoes one's own answer changes nothing;
/// when some are older than the items held, only the server's count can say.
pub fn inbox_read(inbox: &Inbox, read: &NotificationsRead) -> Patch<Inbox> {
    let mut newly_read = 0;
    let items: Vec<Notification> = inbox
        .items
        .iter()
        .map(|held| {
            let mut item = held.clone();
            if item.read_at.is_none() && read.ids.contains(&item.id) {
                item.read_at = Some(read.read_at);
                newly_read += 1;
            }
            item
        })
        .collect();
    let all_held = read.ids.iter().all(|id| inbox.items.iter().any(|held| held.id == *id));
    let unread = if all_held { inbox.unread.saturating_sub(newly_read) } else { read.unread };
    if newly_read == 0 && unread == inbox.unread {
        Patch::Same
    } else {
        Patch::New(Inbox { unread, items })
    }
}

/// Applies a patch to cached data of type `T` (nothing loaded yet: unchanged).
fn patch_as<T: 'static>(data: Option<&Rc<dyn Any>>, patch: impl FnOnce(&T) -> Patch<T>) -> Outcome {
    let Some(data) = data else { return Outcome::Unchanged };
    // Data of another type under this key cannot happen through `Resource`; fetch it again.
    let Some(held) = data.downcast_ref::<T>() else { return Outcome::Revalidate };
    match patch(held) {
        Patch::Same => Outcome::Unchanged,
        Patch::New(new) => Outcome::Replaced(Rc::new(new)),
        Patch::Older => Outcome::Revalidate,
    }
}

/// What a written entity does to the entry of `key`.
pub fn write(key: &Key, data: Option<&Rc<dyn Any>>, entity: &Entity) -> Outcome {
    match (key, entity) {
        (Key::Sessions(query), Entity::Session(s)) if s.coaching_relationship_id == query.coaching_relationship_id => {
            patch_as(data, |list: &Vec<CoachingSession>| session_in_range(query, list, s))
        }
        (Key::Session(id), Entity::Session(s)) if s.id == *id => {
            patch_as(data, |held: &CoachingSession| replace(held, s))
        }
        (Key::Actions(session), Entity::Action(a)) if a.coaching_session_id == *session => {
            patch_as(data, |list: &Vec<Action>| upsert(list, a))
        }
        (Key::Agreements(session), Entity::Agreement(a)) if a.coaching_session_id == *session => {
            patch_as(data, |list: &Vec<Agreement>| upsert(list, a))
        }
        (Key::Topics(session), Entity::Topic(t)) if t.coaching_session_id == *session => {
            patch_as(data, |list: &Vec<Topic>| topic_in_place(list, t))
        }
        (Key::Topics(of), Entity::TopicOrder { session, ids }) if of == session => {
            patch_as(data, |list: &Vec<Topic>| topics_ordered(list, ids))
        }
        (Key::Notes(session), Entity::Note(n)) if n.coaching_session_id == *session => {
            patch_as(data, |list: &Vec<Note>| upsert(list, n))
        }
        (Key::Goals(relationship), Entity::Goal(g)) if g.coaching_relationship_id == *relationship => {
            patch_as(data, |list: &Vec<Goal>| upsert(list, g))
        }
        // Only where the goal is linked: a write does not link it.
        (Key::SessionGoals(_), Entity::Goal(g)) => {
            patch_as(
                data,
                |list: &Vec<Goal>| {
                    if list.iter().any(|linked| linked.id == g.id) {
                        upsert(list, g)
                    } else {
                        Patch::Same
                    }
                },
            )
        }
        // Counted from the goal's actions and links, which no event carries whole: any action
        // (it may have left the goal) or a change of the goal itself asks again.
        (Key::GoalProgress(_), Entity::Action(_)) => ask_again_if_held(data),
        (Key::GoalProgress(goal), Entity::Goal(g)) if g.id == *goal => ask_again_if_held(data),
        // Filtered by assignee and status, which neither the key nor the event tells: the
        // table revalidates these ([`Scope::UserActions`]).
        (Key::Presence(session), Entity::Presence(p)) if p.coaching_session_id == *session => {
            patch_as(data, |held: &SessionPresence| if held == p { Patch::Same } else { Patch::New(p.clone()) })
        }
        (Key::Members(of), Entity::Member { organization, user }) if of == organization => {
            patch_as(data, |list: &Vec<User>| upsert(list, user))
        }
        (Key::Members(_), Entity::Names(names)) => patch_as(data, |list: &Vec<User>| rename_in_members(list, names)),
        (Key::Relationships(of), Entity::Relationship { organization, relationship }) if of == organization => {
            patch_as(data, |list: &Vec<CoachingRelationship>| upsert(list, relationship))
        }
        (Key::Relationships(_), Entity::Names(names)) => {
            patch_as(data, |list: &Vec<CoachingRelationship>| rename_in_relationships(list, names))
        }
        (Key::AllOrganizations(status), Entity::Organization(o)) => {
            patch_as(data, |list: &Vec<Organization>| organization_in(*status, list, o))
        }
        // A person's own list holds their active organizations: one they are not in yet is
        // for the writer to revalidate (it cannot be told from here).
        (Key::Organizations(_), Entity::Organization(o)) => patch_as(data, |list: &Vec<Organization>| {
            if list.iter().any(|held| held.id == o.id) {
                organization_in(OrganizationStatus::Active, list, o)
            } else {
                Patch::Same
            }
        }),
        (Key::Organization(id), Entity::Organization(o)) if o.id == *id => {
            patch_as(data, |held: &Organization| replace(held, o))
        }
        (Key::User(id), Entity::Profile(user)) if user.id == *id => patch_as(data, |held: &User| replace(held, user)),
        (Key::Inbox(_), Entity::Notification(item)) => patch_as(data, |inbox: &Inbox| inbox_with(inbox, item)),
        (Key::Inbox(_), Entity::NotificationsRead(read)) => patch_as(data, |inbox: &Inbox| inbox_read(inbox, read)),
        (Key::UserActions(..) | Key::Inbox(_), _) => Outcome::Irrelevant,
        (
            Key::Organizations(_)
            | Key::Relationships(_)
            | Key::User(_)
            | Key::Organization(_)
            | Key::AllOrganizations(_)
            | Key::Members(_),
            _,
        ) => Outcome::Irrelevant,
        (
            Key::Presence(_)
            | Key::Sessions(_)
            | Key::Session(_)
            | Key::Actions(_)
            | Key::Agreements(_)
            | Key::Notes(_)
            | Key::Topics(_)
            | Key::Goals(_)
            | Key::SessionGoals(_)
            | Key::GoalProgress(_),
            _,
        ) => Outcome::Irrelevant,
    }
}

/// A derived answer that an event changed in a way only the server can count.
fn ask_again_if_held(data: Option<&Rc<dyn Any>>) -> Outcome {
    if data.is_some() {
        Outcome::Revalidate
    } else {
        Outcome::Unchanged
    }
}

/// What a removal does to the entry of `key`.
pub fn remove(key: &Key, data: Option<&Rc<dyn Any>>, removed: &Removed) -> Outcome {
    match (key, removed) {
        (Key::Sessions(query), Removed::Session { relationship, id })
            if *relationship == query.coaching_relationship_id =>
        {
            patch_as(data, |list: &Vec<CoachingSession>| without(list, *id))
        }
        (Key::Actions(session), Removed::Action { session: of, id }) if of == session => {
            patch_as(data, |list: &Vec<Action>| without(list, *id))
        }
        (Key::UserActions(..), Removed::Action { id, .. }) => patch_as(data, |list: &Vec<Action>| without(list, *id)),
        (Key::Agreements(session), Removed::Agreement { session: of, id }) if of == session => {
            patch_as(data, |list: &Vec<Agreement>| without(list, *id))
        }
        (Key::Topics(session), Removed::Topic { session: of, id }) if of == session => {
            patch_as(data, |list: &Vec<Topic>| without(list, *id))
        }
        (Key::Goals(relationship), Removed::Goal { relationship: of, id }) if of == relationship => {
            patch_as(data, |list: &Vec<Goal>| without(list, *id))
        }
        (Key::SessionGoals(_), Removed::Goal { id, .. }) => patch_as(data, |list: &Vec<Goal>| without(list, *id)),
        (Key::SessionGoals(session), Removed::GoalLink { session: of, goal }) if of == session => {
            patch_as(data, |list: &Vec<Goal>| without(list, *goal))
        }
        (Key::GoalProgress(_), Removed::Action { .. }) => ask_again_if_held(data),
        (Key::GoalProgress(of), Removed::GoalLink { goal, .. }) if of == goal => ask_again_if_held(data),
        (Key::Members(of), Removed::Member { organization, user }) if of == organization => {
            patch_as(data, |list: &Vec<User>| without(list, *user))
        }
        (Key::Relationships(of), Removed::Relationship { organization, id }) if of == organization => {
            patch_as(data, |list: &Vec<CoachingRelationship>| without(list, *id))
        }
        (Key::AllOrganizations(_) | Key::Organizations(_), Removed::Organization(id)) => {
            patch_as(data, |list: &Vec<Organization>| without(list, *id))
        }
        // A deleted session's own entry is revalidated by the table; notes are never deleted.
        (
            Key::Inbox(_)
            | Key::User(_)
            | Key::Organization(_)
            | Key::AllOrganizations(_)
            | Key::Members(_)
            | Key::Organizations(_)
            | Key::Relationships(_)
            | Key::Presence(_)
            | Key::Sessions(_)
            | Key::Session(_)
            | Key::Actions(_)
            | Key::UserActions(..)
            | Key::Agreements(_)
            | Key::Notes(_)
            | Key::Topics(_)
            | Key::Goals(_)
            | Key::SessionGoals(_)
            | Key::GoalProgress(_),
            _,
        ) => Outcome::Irrelevant,
    }
}

/// Whether the entry of `key` is in `scope`.
pub fn covers(scope: Scope, key: &Key, data: Option<&Rc<dyn Any>>) -> bool {
    match (scope, key) {
        (Scope::Everything, _) => true,
        (Scope::UserActions, Key::UserActions(..)) => true,
        (Scope::Session(id), Key::Session(of)) => id == *of,
        (Scope::ListsHolding(id), Key::Sessions(_)) => data
            .and_then(|data| data.downcast_ref::<Vec<CoachingSession>>())
            .is_none_or(|list| list.iter().any(|s| s.id == id)),
        (Scope::RelationshipSessions(relationship), Key::Sessions(query)) => {
            relationship == query.coaching_relationship_id
        }
        (Scope::RelationshipGoals(relationship), Key::Goals(of)) => relationship == *of,
        (Scope::SessionGoals(session), Key::SessionGoals(of)) => session == *of,
        // Links and actions count toward every goal's progress.
        (Scope::SessionGoals(_) | Scope::RelationshipGoals(_) | Scope::UserActions, Key::GoalProgress(_)) => true,
        (Scope::Topics(session), Key::Topics(of)) => session == *of,
        (Scope::Members(organization), Key::Members(of)) => organization == *of,
        (Scope::Relationships(organization), Key::Relationships(of)) => organization == *of,
        (Scope::Organizations, Key::Organizations(_)) => true,
        (Scope::OrganizationsOf(user), Key::Organizations(of)) => user == *of,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn at(second: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, second).unwrap()
    }

    fn agreement(n: u128, body: &str, second: u32) -> Agreement {
        Agreement {
            id: tandem_protocol::AgreementId(Uuid::from_u128(n)),
            coaching_session_id: tandem_protocol::CoachingSessionId(Uuid::from_u128(100)),
            body: Some(body.into()),
            user_id: tandem_protocol::UserId(Uuid::from_u128(200)),
            created_at: at(0),
            updated_at: at(second),
        }
    }

    #[test]
    fn a_newer_or_equal_version_replaces_and_an_older_one_does_not() {
        let held = agreement(1, "held", 10);
        assert_eq!(replace(&held, &agreement(1, "newer", 11)), Patch::New(agreement(1, "newer", 11)));
        assert_eq!(replace(&held, &agreement(1, "same time", 10)), Patch::New(agreement(1, "same time", 10)));
        assert_eq!(replace(&held, &held.clone()), Patch::Same);
        assert_eq!(replace(&held, &agreement(1, "older", 9)), Patch::Older);
    }

    #[test]
    fn upsert_replaces_in_place_or_appends_and_without_reports_absence() {
        let list = vec![agreement(1, "a", 1), agreement(2, "b", 1)];
        assert_eq!(upsert(&list, &agreement(2, "B", 2)), Patch::New(vec![agreement(1, "a", 1), agreement(2, "B", 2)]));
        assert_eq!(
            upsert(&list, &agreement(3, "c", 1)),
            Patch::New(vec![agreement(1, "a", 1), agreement(2, "b", 1), agreement(3, "c", 1)])
        );
        assert_eq!(upsert(&list, &agreement(2, "old", 0)), Patch::Older);
        assert_eq!(without(&list, agreement(1, "", 0).id), Patch::New(vec![agreement(2, "b", 1)]));
        assert_eq!(without(&list, agreement(9, "", 0).id), Patch::Same);
    }

    fn organization(n: u128, archived: bool, second: u32) -> Organization {
        Organization {
            id: tandem_protocol::OrganizationId(Uuid::from_u128(n)),
            name: format!("Org {n}"),
            logo: None,
            slug: format!("org-{n}"),
            created_at: at(0),
            updated_at: at(second),
            archived_at: archived.then(|| at(second)),
            archived_by: None,
        }
    }

    mod inbox {
        use super::super::*;
        use crate::stores::fixtures::{inbox, notification};
        use tandem_protocol::NotificationId;

        fn read(ids: &[u128], unread: u32) -> NotificationsRead {
            NotificationsRead {
                ids: ids.iter().map(|n| NotificationId(uuid::Uuid::from_u128(*n))).collect(),
                read_at: crate::stores::fixtures::at(59),
                unread,
            }
        }

        fn ids(patch: &Patch<Inbox>) -> Vec<u128> {
            match patch {
                Patch::New(inbox) => inbox.items.iter().map(|item| item.id.0.as_u128()).collect(),
                _ => panic!("no change: {patch:?}"),
            }
        }

        fn unread(patch: Patch<Inbox>) -> u32 {
            match patch {
                Patch::New(inbox) => inbox.unread,
                other => panic!("no change: {other:?}"),
            }
        }

        #[test]
        fn a_new_item_goes_on_top_and_counts_once() {
            let held = inbox(1, vec![notification(2, 20), notification(1, 10)]);
            let patch = inbox_with(&held, &notification(3, 30));
            assert_eq!(ids(&patch), [3, 2, 1]);
            assert_eq!(unread(patch), 2);
            // The same event again (relayed by another tab, or replayed): nothing changes.
            assert_eq!(inbox_with(&held, &notification(2, 20)), Patch::Same);
            // One that arrives late still lands in its place by time.
            assert_eq!(ids(&inbox_with(&held, &notification(4, 15))), [2, 4, 1]);
            assert_eq!(ids(&inbox_with(&held, &notification(5, 5))), [2, 1, 5]);
            // An item already read adds none to the count.
            let mut seen = notification(6, 40);
            seen.read_at = Some(crate::stores::fixtures::at(41));
            assert_eq!(unread(inbox_with(&held, &seen)), 1);
            assert_eq!(ids(&inbox_with(&inbox(0, vec![]), &notification(7, 1))), [7]);
        }

        #[test]
        fn a_read_event_marks_those_items_and_counts_them_down_once() {
            let held = inbox(3, vec![notification(3, 30), notification(2, 20), notification(1, 10)]);
            let Patch::New(after) = inbox_read(&held, &read(&[3, 2], 1)) else { panic!("no change") };
            assert_eq!(after.unread, 1);
            let read_ids: Vec<bool> = after.items.iter().map(|item| item.read_at.is_some()).collect();
            assert_eq!(read_ids, [true, true, false]);
            // The echo of the same read (the answer, then the event) changes nothing.
            assert_eq!(inbox_read(&after, &read(&[3, 2], 1)), Patch::Same);
            // An answer computed before a newer item arrived does not undo that item's count.
            let Patch::New(newer) = inbox_with(&held, &notification(4, 40)) else { panic!("no change") };
            assert_eq!(unread(inbox_read(&newer, &read(&[3, 2, 1], 0))), 1);
        }

        #[test]
        fn ids_not_held_leave_the_items_and_take_the_servers_count() {
            let held = inbox(5, vec![notification(2, 20), notification(1, 10)]);
            // Older items, beyond those fetched: nothing shown changes but the count.
            let Patch::New(after) = inbox_read(&held, &read(&[8, 9], 3)) else { panic!("no change") };
            assert_eq!(after.unread, 3);
            assert!(after.items.iter().all(|item| item.read_at.is_none()));
            // "Mark all read": the held ones read, and the server's count of the rest.
            let Patch::New(all) = inbox_read(&held, &read(&[2, 1, 8, 9], 0)) else { panic!("no change") };
            assert_eq!(all.unread, 0);
            assert!(all.items.iter().all(|item| item.read_at.is_some()));
            assert_eq!(inbox_read(&inbox(0, vec![]), &read(&[], 0)), Patch::Same);
        }
    }

    #[test]
    fn an_archived_organization_leaves_the_active_list_and_joins_the_archived_one() {
        let active = vec![organization(1, false, 1), organization(2, false, 1)];
        let archived = organization(2, true, 2);
        assert_eq!(
            organization_in(OrganizationStatus::Active, &active, &archived),
            Patch::New(vec![organization(1, false, 1)])
        );
        assert_eq!(organization_in(OrganizationStatus::Archived, &[], &archived), Patch::New(vec![archived.clone()]));
        assert_eq!(
            organization_in(OrganizationStatus::All, &active, &archived),
            Patch::New(vec![organization(1, false, 1), archived.clone()])
        );
        assert_eq!(organization_in(OrganizationStatus::Archived, &[], &organization(3, false, 1)), Patch::Same);
    }

    #[test]
    fn a_goals_progress_is_asked_again_after_any_action_and_its_own_goal_changes() {
        use crate::stores::fixtures::{action, goal, R1, S1};
        let held: Rc<dyn Any> = Rc::new(0u8);
        let mine = goal(1, R1, "Mine", 1);
        let key = Key::GoalProgress(mine.id);
        let asks_again = |outcome: Outcome| matches!(outcome, Outcome::Revalidate);
        assert!(asks_again(write(&key, Some(&held), &Entity::Action(action(5, S1, "Any action", 1)))));
        assert!(asks_again(write(&key, Some(&held), &Entity::Goal(mine.clone()))));
        assert!(matches!(write(&key, Some(&held), &Entity::Goal(goal(2, R1, "Another", 1))), Outcome::Irrelevant));
        // Nothing held, nothing to fetch.
        assert!(matches!(write(&key, None, &Entity::Goal(mine.clone())), Outcome::Unchanged));
        assert!(asks_again(remove(&key, Some(&held), &Removed::GoalLink { session: S1, goal: mine.id })));
        assert!(covers(Scope::SessionGoals(S1), &key, Some(&held)));
    }
}

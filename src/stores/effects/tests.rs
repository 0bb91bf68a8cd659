//! The table against the real cache keys: a cache holding every resource of two sessions of
//! one relationship (and the empty lists of another), and for each event type exactly which
//! entries it rewrites and which it makes stale.

use std::collections::BTreeSet;

use tandem_protocol::*;

use super::*;
use crate::api::resources::{self, Key, Resource};
use crate::stores::cache::{CacheAction, CacheStore};
use crate::stores::fixtures::*;

const ACTION: u128 = 10;
const AGREEMENT: u128 = 20;
const NOTE: u128 = 30;
const GOAL: u128 = 40;

fn put<T: 'static>(cache: &mut CacheStore, resource: Resource<T>, value: T) {
    let key = resource.key().clone();
    cache.apply(CacheAction::Loaded { key, data: std::rc::Rc::new(value) });
}

/// S1 (Nov 30) and S2 (Dec 5) of R1, everything on them loaded; R2 has nothing.
fn world() -> CacheStore {
    let mut cache = CacheStore::default();
    put(&mut cache, resources::organizations(ME), vec![]);
    put(&mut cache, resources::relationships(ORG), vec![]);
    put(
        &mut cache,
        resources::sessions(sessions_query(R1, (11, 1), (12, 31))),
        vec![session(S1, R1, 11, 30, 1), session(S2, R1, 12, 5, 1)],
    );
    put(&mut cache, resources::sessions(sessions_query(R2, (11, 1), (12, 31))), vec![]);
    put(&mut cache, resources::session(S1), session(S1, R1, 11, 30, 1));
    put(&mut cache, resources::session(S2), session(S2, R1, 12, 5, 1));
    put(&mut cache, resources::actions(S1), vec![action(ACTION, S1, "call", 1)]);
    put(&mut cache, resources::actions(S2), vec![]);
    put(&mut cache, resources::user_actions(ME, UserActionsQuery::default()), vec![action(ACTION, S1, "call", 1)]);
    put(&mut cache, resources::agreements(S1), vec![agreement(AGREEMENT, S1, "weekly", 1)]);
    put(&mut cache, resources::agreements(S2), vec![]);
    put(&mut cache, resources::notes(S1), vec![note(NOTE, S1, "notes", 1)]);
    put(&mut cache, resources::notes(S2), vec![]);
    put(&mut cache, resources::goals(R1), vec![goal(GOAL, R1, "speak", 1)]);
    put(&mut cache, resources::goals(R2), vec![]);
    put(&mut cache, resources::session_goals(S1), vec![goal(GOAL, R1, "speak", 1)]);
    put(&mut cache, resources::session_goals(S2), vec![]);
    put(
        &mut cache,
        resources::presence(S1),
        SessionPresence { coaching_session_id: S1, present: vec![], ttl_secs: None },
    );
    put(
        &mut cache,
        resources::presence(S2),
        SessionPresence { coaching_session_id: S2, present: vec![], ttl_secs: None },
    );
    put(&mut cache, resources::inbox(ME), inbox(1, vec![notification(1, 10)]));
    cache
}

/// What an event did to [`world`]: the URLs of the entries with new data, and of the stale ones.
fn touched(event: &Event) -> (BTreeSet<String>, BTreeSet<String>) {
    let before = world();
    let mut after = before.clone();
    after.apply(CacheAction::Apply(of_event(event)));
    let (mut written, mut stale) = (BTreeSet::new(), BTreeSet::new());
    for key in after.keys() {
        let (old, new) = (before.entry(key).unwrap(), after.entry(key).unwrap());
        let same = match (&old.data, &new.data) {
            (Some(a), Some(b)) => std::rc::Rc::ptr_eq(a, b),
            _ => false,
        };
        if !same {
            written.insert(key.url());
        }
        if new.stale {
            stale.insert(key.url());
        }
    }
    (written, stale)
}

fn urls<const N: usize>(keys: [Key; N]) -> BTreeSet<String> {
    keys.iter().map(Key::url).collect()
}

fn data_of<T: Clone + 'static>(cache: &CacheStore, resource: Resource<T>) -> T {
    (*cache.entry(resource.key()).unwrap().get::<T>().unwrap()).clone()
}

fn key<T>(resource: Resource<T>) -> Key {
    resource.key().clone()
}

fn user_actions() -> Key {
    key(resources::user_actions(ME, UserActionsQuery::default()))
}

fn sessions_r1() -> Key {
    key(resources::sessions(sessions_query(R1, (11, 1), (12, 31))))
}

#[test]
fn an_action_is_written_into_its_session_and_the_filtered_lists_refetch() {
    let changed = action(ACTION, S1, "call twice", 2);
    let event = Event::ActionUpdated(ActionChanged { coaching_session_id: S1, action: changed.clone() });
    assert_eq!(touched(&event), (urls([key(resources::actions(S1))]), urls([user_actions()])));
    let created = Event::ActionCreated(ActionChanged { coaching_session_id: S2, action: action(11, S2, "new", 1) });
    assert_eq!(touched(&created), (urls([key(resources::actions(S2))]), urls([user_actions()])));
    let deleted = Event::ActionDeleted(tandem_protocol::ActionDeleted {
        coaching_session_id: S1,
        action_id: ActionId(uuid::Uuid::from_u128(ACTION)),
    });
    assert_eq!(touched(&deleted), (urls([key(resources::actions(S1)), user_actions()]), urls([user_actions()])));
}

#[test]
fn agreements_and_notes_land_in_their_session_only() {
    let updated = Event::AgreementUpdated(AgreementChanged {
        coaching_session_id: S1,
        agreement: agreement(AGREEMENT, S1, "fortnightly", 2),
    });
    assert_eq!(touched(&updated), (urls([key(resources::agreements(S1))]), BTreeSet::new()));
    let created =
        Event::AgreementCreated(AgreementChanged { coaching_session_id: S2, agreement: agreement(21, S2, "new", 1) });
    assert_eq!(touched(&created), (urls([key(resources::agreements(S2))]), BTreeSet::new()));
    let deleted = Event::AgreementDeleted(tandem_protocol::AgreementDeleted {
        coaching_session_id: S1,
        agreement_id: AgreementId(uuid::Uuid::from_u128(AGREEMENT)),
    });
    assert_eq!(touched(&deleted), (urls([key(resources::agreements(S1))]), BTreeSet::new()));
    for event in [
        Event::NoteUpdated(NoteChanged { coaching_session_id: S1, note: note(NOTE, S1, "more notes", 2) }),
        Event::NoteCreated(NoteChanged { coaching_session_id: S1, note: note(31, S1, "second note", 1) }),
    ] {
        assert_eq!(touched(&event), (urls([key(resources::notes(S1))]), BTreeSet::new()));
    }
}

#[test]
fn presence_replaces_its_session_entry_and_a_notes_update_leaves_the_cache_alone() {
    let here = SessionPresence { coaching_session_id: S1, present: vec![ME], ttl_secs: None };
    let event = Event::CoachingSessionPresenceChanged(here.clone());
    assert_eq!(touched(&event), (urls([key(resources::presence(S1))]), BTreeSet::new()));
    let mut cache = world();
    cache.apply(CacheAction::Apply(of_event(&event)));
    let held = cache.entry(resources::presence(S1).key()).and_then(|e| e.data.clone()).unwrap();
    assert_eq!(held.downcast_ref::<SessionPresence>(), Some(&here));
    // The same set again changes nothing.
    assert_eq!(
        touched(&Event::CoachingSessionPresenceChanged(SessionPresence { present: vec![], ..here })),
        (BTreeSet::new(), BTreeSet::new())
    );
    let typed = Event::NoteDocumentUpdated(NoteDocumentUpdated {
        coaching_session_id: S1,
        user_id: ME,
        update: Some("AA==".into()),
    });
    assert_eq!(touched(&typed), (BTreeSet::new(), BTreeSet::new()));
}

#[test]
fn a_goal_goes_into_its_relationship_and_wherever_it_is_linked() {
    let mut renamed = goal(GOAL, R1, "speak up", 2);
    renamed.status = Status::InProgress;
    let updated = Event::GoalUpdated(GoalChanged { coaching_relationship_id: R1, goal: renamed.clone() });
    assert_eq!(
        touched(&updated),
        (urls([key(resources::goals(R1)), key(resources::session_goals(S1))]), BTreeSet::new())
    );
    let created = Event::GoalCreated(GoalChanged { coaching_relationship_id: R1, goal: goal(41, R1, "listen", 1) });
    assert_eq!(touched(&created), (urls([key(resources::goals(R1))]), BTreeSet::new()), "a new goal is linked nowhere");
    let deleted =
        Event::GoalDeleted(tandem_protocol::GoalDeleted { coaching_relationship_id: R1, goal_id: renamed.id });
    assert_eq!(
        touched(&deleted),
        (urls([key(resources::goals(R1)), key(resources::session_goals(S1))]), BTreeSet::new())
    );
}

#[test]
fn linking_refetches_the_links_and_goals_and_unlinking_removes_the_link() {
    let link = SessionGoalChanged {
        coaching_relationship_id: R1,
        coaching_session_id: S2,
        goal_id: GoalId(uuid::Uuid::from_u128(GOAL)),
    };
    assert_eq!(
        touched(&Event::CoachingSessionGoalCreated(link.clone())),
        (BTreeSet::new(), urls([key(resources::session_goals(S2)), key(resources::goals(R1))]))
    );
    let unlink = SessionGoalChanged { coaching_session_id: S1, ..link };
    assert_eq!(
        touched(&Event::CoachingSessionGoalDeleted(unlink)),
        (urls([key(resources::session_goals(S1))]), BTreeSet::new())
    );
}

#[test]
fn a_session_with_its_entity_is_written_into_the_session_and_the_lists_of_its_dates() {
    let mut retitled = session(S1, R1, 11, 30, 2);
    retitled.title = Some("Handling questions".into());
    let event = Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: S1,
        coaching_session: Some(retitled.clone()),
    });
    assert_eq!(touched(&event), (urls([key(resources::session(S1)), sessions_r1()]), BTreeSet::new()));
    let mut after = world();
    after.apply(CacheAction::Apply(of_event(&event)));
    let list = data_of(&after, resources::sessions(sessions_query(R1, (11, 1), (12, 31))));
    assert_eq!(list[0].display_title.as_deref(), Some("Handling questions"), "the list shows the new title");

    // Rescheduled out of the range: it leaves that list.
    let moved = session(S2, R1, 1, 5, 2);
    let event = Event::CoachingSessionUpdated(SessionChanged {
        coaching_relationship_id: R1,
        coaching_session_id: S2,
        coaching_session: Some(moved),
    });
    let mut after = world();
    after.apply(CacheAction::Apply(of_event(&event)));
    assert_eq!(data_of(&after, resources::sessions(sessions_query(R1, (11, 1), (12, 31)))).len(), 1);

    // Scheduled before the others: it comes first.
    let early = session(CoachingSessionId(uuid::Uuid::from_u128(9)), R1, 11, 2, 1);
    let event = Event::CoachingSessionCreated(SessionChanged {
        coaching_relationship_id: R1,
        coaching_session_id: early.id,
        coaching_session: Some(early.clone()),
    });
    assert_eq!(touched(&event), (urls([sessions_r1()]), BTreeSet::new()));
    let mut after = world();
    after.apply(CacheAction::Apply(of_event(&event)));
    assert_eq!(data_of(&after, resources::sessions(sessions_query(R1, (11, 1), (12, 31))))[0].id, early.id);
}

#[test]
fn a_session_event_without_its_entity_refetches_what_shows_the_session() {
    let bare = SessionChanged { coaching_relationship_id: R1, coaching_session_id: S1, coaching_session: None };
    for event in [Event::CoachingSessionCreated(bare.clone()), Event::CoachingSessionUpdated(bare.clone())] {
        assert_eq!(touched(&event), (BTreeSet::new(), urls([key(resources::session(S1)), sessions_r1()])));
    }
    let retitled =
        Event::CoachingSessionTitleUpdated(SessionRetitled { coaching_session_id: S2, coaching_session: None });
    assert_eq!(touched(&retitled), (BTreeSet::new(), urls([key(resources::session(S2)), sessions_r1()])));
    let deleted = Event::CoachingSessionDeleted(bare);
    assert_eq!(touched(&deleted), (urls([sessions_r1()]), urls([key(resources::session(S1))])));
}

#[test]
fn the_inbox_takes_new_items_and_reads_without_a_request() {
    let created = Event::NotificationCreated(NotificationCreated { notification: notification(2, 20) });
    assert_eq!(touched(&created), (urls([key(resources::inbox(ME))]), BTreeSet::new()));
    let mut cache = world();
    cache.apply(CacheAction::Apply(of_event(&created)));
    let shown = data_of(&cache, resources::inbox(ME));
    assert_eq!((shown.unread, shown.items.len()), (2, 2));
    assert_eq!(shown.items[0].id, notification(2, 20).id, "newest on top");
    // The same event relayed again by another tab changes nothing.
    assert!(!cache.apply(CacheAction::Apply(of_event(&created))));

    let read = Event::NotificationsRead(NotificationsRead {
        ids: vec![notification(1, 10).id, notification(2, 20).id],
        read_at: at(30),
        unread: 0,
    });
    cache.apply(CacheAction::Apply(of_event(&read)));
    let shown = data_of(&cache, resources::inbox(ME));
    assert_eq!(shown.unread, 0);
    assert!(shown.items.iter().all(|item| item.read_at == Some(at(30))));
    assert_eq!(touched(&read), (urls([key(resources::inbox(ME))]), BTreeSet::new()));
}

#[test]
fn resync_refetches_everything_and_other_events_touch_nothing() {
    let (written, stale) = touched(&Event::Resync(Resync {}));
    assert!(written.is_empty());
    assert_eq!(stale.len(), world().keys().count());
    let reference_only = SessionRef { coaching_session_id: S1 };
    for event in [
        Event::TopicsChanged(reference_only.clone()),
        Event::MeetingRecordingUpdated(reference_only.clone()),
        Event::TranscriptionUpdated(reference_only),
        Event::ForceLogout(ForceLogout { reason: "password changed".into() }),
    ] {
        assert_eq!(touched(&event), (BTreeSet::new(), BTreeSet::new()), "{}", event.name());
    }
}

#[test]
fn an_older_entity_than_the_cached_one_revalidates_instead_of_replacing() {
    // The cache holds version 1 of everything; these events carry version 0.
    let old_action =
        Event::ActionUpdated(ActionChanged { coaching_session_id: S1, action: action(ACTION, S1, "stale", 0) });
    assert_eq!(touched(&old_action), (BTreeSet::new(), urls([key(resources::actions(S1)), user_actions()])));
    let old_goal = Event::GoalUpdated(GoalChanged { coaching_relationship_id: R1, goal: goal(GOAL, R1, "stale", 0) });
    assert_eq!(
        touched(&old_goal),
        (BTreeSet::new(), urls([key(resources::goals(R1)), key(resources::session_goals(S1))]))
    );
    let old_session = Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: S1,
        coaching_session: Some(session(S1, R1, 11, 30, 0)),
    });
    assert_eq!(touched(&old_session), (BTreeSet::new(), urls([key(resources::session(S1)), sessions_r1()])));
    // The same version again changes nothing at all (no renders).
    let same = Event::AgreementUpdated(AgreementChanged {
        coaching_session_id: S1,
        agreement: agreement(AGREEMENT, S1, "weekly", 1),
    });
    assert_eq!(touched(&same), (BTreeSet::new(), BTreeSet::new()));
}

/// [`world`] with the people of `ORG`: its members (me and Sam), its relationship R1, and my
/// own profile and organizations.
fn people() -> CacheStore {
    let mut cache = world();
    put(
        &mut cache,
        resources::members(ORG),
        vec![member(ME, "Alex", InviteStatus::Active, 1), member(SAM, "Sam", InviteStatus::Pending, 1)],
    );
    put(&mut cache, resources::relationships(ORG), vec![relationship()]);
    put(&mut cache, resources::user(ME), member(ME, "Alex", InviteStatus::Active, 1));
    cache
}

/// What an event did to [`people`]: the URLs of the written entries and of the stale ones.
fn touched_people(event: &Event) -> (BTreeSet<String>, BTreeSet<String>, CacheStore) {
    let before = people();
    let mut after = before.clone();
    after.apply(CacheAction::Apply(of_event(event)));
    let (mut written, mut stale) = (BTreeSet::new(), BTreeSet::new());
    for key in after.keys() {
        let (old, new) = (before.entry(key).unwrap(), after.entry(key).unwrap());
        let same = matches!((&old.data, &new.data), (Some(a), Some(b)) if std::rc::Rc::ptr_eq(a, b));
        if !same {
            written.insert(key.url());
        }
        if new.stale {
            stale.insert(key.url());
        }
    }
    (written, stale, after)
}

#[test]
fn a_member_who_finished_setting_up_is_written_into_the_member_list() {
    let active = member(SAM, "Sam", InviteStatus::Active, 2);
    let event = Event::OrganizationMemberChanged(MemberChanged { organization_id: ORG, user: active.clone() });
    let (written, stale, after) = touched_people(&event);
    assert_eq!(written, urls([key(resources::members(ORG))]));
    assert!(stale.is_empty(), "Sam's own organizations are not in this browser: {stale:?}");
    assert_eq!(data_of(&after, resources::members(ORG))[1], active);
    // A new member is appended; a change about me refetches my organizations.
    let me = Event::OrganizationMemberChanged(MemberChanged {
        organization_id: ORG,
        user: member(ME, "Alex", InviteStatus::Active, 3),
    });
    assert_eq!(touched_people(&me).1, urls([key(resources::organizations(ME))]));
    // Another organization's member changes nothing here.
    let elsewhere = Event::OrganizationMemberChanged(MemberChanged {
        organization_id: OrganizationId(uuid::Uuid::from_u128(99)),
        user: active,
    });
    assert!(touched_people(&elsewhere).0.is_empty());
}

#[test]
fn a_removed_member_and_a_deleted_relationship_leave_their_lists() {
    let removed = Event::OrganizationMemberRemoved(MemberRemoved { organization_id: ORG, user_id: SAM });
    let (written, _, after) = touched_people(&removed);
    assert_eq!(written, urls([key(resources::members(ORG))]));
    assert_eq!(data_of(&after, resources::members(ORG)).len(), 1);
    let deleted =
        Event::CoachingRelationshipDeleted(RelationshipDeleted { organization_id: ORG, coaching_relationship_id: R1 });
    let (written, _, after) = touched_people(&deleted);
    assert_eq!(written, urls([key(resources::relationships(ORG))]));
    assert!(data_of(&after, resources::relationships(ORG)).is_empty());
}

#[test]
fn a_new_relationship_is_written_into_its_organizations_list() {
    let mut paired = relationship();
    paired.id = R2;
    let event =
        Event::CoachingRelationshipCreated(RelationshipCreated { organization_id: ORG, coaching_relationship: paired });
    let (written, stale, after) = touched_people(&event);
    assert_eq!((written, stale), (urls([key(resources::relationships(ORG))]), BTreeSet::new()));
    assert_eq!(data_of(&after, resources::relationships(ORG)).len(), 2);
}

#[test]
fn a_new_name_reaches_the_relationships_and_the_member_list_that_show_it() {
    let renamed = Event::UserUpdated(UserUpdated {
        user_id: SAM,
        first_name: "Samantha".into(),
        last_name: "Rivera".into(),
        display_name: Some("Sam R.".into()),
    });
    let (written, stale, after) = touched_people(&renamed);
    assert_eq!(written, urls([key(resources::members(ORG)), key(resources::relationships(ORG))]));
    assert!(stale.is_empty());
    assert_eq!(data_of(&after, resources::relationships(ORG))[0].coachee_name(), "Samantha Rivera");
    assert_eq!(data_of(&after, resources::members(ORG))[1].name(), "Sam R.");
    // The same name again changes nothing (no renders).
    let same = Event::UserUpdated(UserUpdated {
        user_id: SAM,
        first_name: "Sam".into(),
        last_name: "Rivera".into(),
        display_name: None,
    });
    let (written, _, _) = touched_people(&same);
    assert_eq!(written, urls([key(resources::members(ORG))]), "only the member list held another last name");
}

#[test]
fn an_older_member_than_the_cached_one_revalidates_the_list() {
    let mut cache = people();
    cache.apply(CacheAction::Apply(of_event(&Event::OrganizationMemberChanged(MemberChanged {
        organization_id: ORG,
        user: member(SAM, "Sam", InviteStatus::Expired, 0),
    }))));
    assert!(cache.entry(resources::members(ORG).key()).unwrap().stale);
}

/// The agendas of S1 (a, b, c) and S2 (empty), and nothing else.
fn agendas() -> CacheStore {
    let mut cache = CacheStore::default();
    put(
        &mut cache,
        resources::topics(S1),
        vec![topic(1, S1, "a", 0, 1), topic(2, S1, "b", 1, 1), topic(3, S1, "c", 2, 1)],
    );
    put(&mut cache, resources::topics(S2), vec![]);
    cache
}

fn bodies(cache: &CacheStore, session: CoachingSessionId) -> Vec<String> {
    data_of(cache, resources::topics(session)).into_iter().map(|t| t.body).collect()
}

fn stale(cache: &CacheStore, session: CoachingSessionId) -> bool {
    cache.entry(resources::topics(session).key()).unwrap().stale
}

fn apply_to(cache: &mut CacheStore, event: Event) {
    cache.apply(CacheAction::Apply(of_event(&event)));
}

#[test]
fn topic_events_write_the_agenda_in_place_without_a_request() {
    let mut cache = agendas();
    let mut edited = topic(2, S1, "b, edited", 1, 2);
    edited.priority = Some(TopicPriority::High);
    apply_to(&mut cache, Event::TopicUpdated(TopicChanged { coaching_session_id: S1, topic: edited }));
    assert_eq!(bodies(&cache, S1), ["a", "b, edited", "c"]);
    apply_to(&mut cache, Event::TopicCreated(TopicChanged { coaching_session_id: S1, topic: topic(4, S1, "d", 3, 1) }));
    assert_eq!(bodies(&cache, S1), ["a", "b, edited", "c", "d"]);
    let gone = TopicDeleted { coaching_session_id: S1, topic_id: TopicId(uuid::Uuid::from_u128(1)) };
    apply_to(&mut cache, Event::TopicDeleted(gone));
    assert_eq!(bodies(&cache, S1), ["b, edited", "c", "d"]);
    assert!(!stale(&cache, S1) && !stale(&cache, S2));
    // An older version than the one held asks for the list again.
    apply_to(&mut cache, Event::TopicUpdated(TopicChanged { coaching_session_id: S1, topic: topic(2, S1, "b", 1, 1) }));
    assert!(stale(&cache, S1));
}

#[test]
fn a_reorder_puts_the_agenda_in_the_new_order_and_an_unknown_order_refetches() {
    let ids = |ns: [u128; 3]| ns.map(|n| TopicId(uuid::Uuid::from_u128(n))).to_vec();
    let mut cache = agendas();
    let reordered = |ordered_ids| Event::TopicsReordered(TopicsReordered { coaching_session_id: S1, ordered_ids });
    apply_to(&mut cache, reordered(ids([3, 1, 2])));
    assert_eq!(bodies(&cache, S1), ["c", "a", "b"]);
    let positions: Vec<i32> = data_of(&cache, resources::topics(S1)).iter().map(|t| t.position).collect();
    assert_eq!(positions, [0, 1, 2], "positions follow the order, so a later write keeps it");
    // A topic created later at the end keeps the order.
    apply_to(
        &mut cache,
        Event::TopicUpdated(TopicChanged { coaching_session_id: S1, topic: topic(2, S1, "b2", 2, 2) }),
    );
    assert_eq!(bodies(&cache, S1), ["c", "a", "b2"]);
    assert!(!stale(&cache, S1));
    // The same order again changes nothing; an order naming a topic not held refetches.
    let before = cache.clone();
    apply_to(&mut cache, reordered(ids([3, 1, 2])));
    assert!(std::rc::Rc::ptr_eq(
        cache.entry(resources::topics(S1).key()).unwrap().data.as_ref().unwrap(),
        before.entry(resources::topics(S1).key()).unwrap().data.as_ref().unwrap()
    ));
    apply_to(&mut cache, reordered(ids([3, 1, 9])));
    assert!(stale(&cache, S1));
}

#[test]
fn a_deferred_topic_moves_between_agendas_and_the_reference_event_refetches_one() {
    let mut cache = agendas();
    let mut moved = topic(2, S1, "b", 0, 2);
    moved.coaching_session_id = S2;
    moved.moved_from_session_id = Some(S1);
    let id = moved.id;
    apply_to(&mut cache, Event::TopicDeleted(TopicDeleted { coaching_session_id: S1, topic_id: id }));
    apply_to(&mut cache, Event::TopicCreated(TopicChanged { coaching_session_id: S2, topic: moved }));
    assert_eq!((bodies(&cache, S1), bodies(&cache, S2)), (vec!["a".to_owned(), "c".to_owned()], vec!["b".to_owned()]));
    // The reference's coarse event: that session's agenda only, fetched again.
    apply_to(&mut cache, Event::TopicsChanged(SessionRef { coaching_session_id: S2 }));
    assert!(stale(&cache, S2) && !stale(&cache, S1));
}

#[test]
fn without_positions_the_list_order_stands_and_a_new_topic_goes_last() {
    let mut cache = CacheStore::default();
    put(&mut cache, resources::topics(S1), vec![topic(3, S1, "c", 0, 1), topic(1, S1, "a", 0, 1)]);
    apply_to(&mut cache, Event::TopicCreated(TopicChanged { coaching_session_id: S1, topic: topic(2, S1, "b", 0, 1) }));
    assert_eq!(bodies(&cache, S1), ["c", "a", "b"]);
}

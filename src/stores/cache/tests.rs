use tandem_protocol::{Agreement, CoachingSessionId};

use super::*;
use crate::api::resources::{self, Resource};
use crate::stores::change::{Entity, Scope};
use crate::stores::fixtures::*;

fn data<T: 'static>(value: T) -> Rc<dyn Any> {
    Rc::new(value)
}

fn agreements_key(session: CoachingSessionId) -> Key {
    resources::agreements(session).key().clone()
}

fn loaded<T: 'static>(cache: &mut CacheStore, resource: Resource<T>, value: T) -> Key {
    let key = resource.key().clone();
    cache.apply(CacheAction::Loaded { key: key.clone(), data: data(value) });
    key
}

#[test]
fn a_fetch_starts_loads_and_clears_its_flags() {
    let k = agreements_key(S1);
    let mut cache = CacheStore::default();
    cache.apply(CacheAction::Mount(k.clone()));
    assert!(cache.view(&k).needs_fetch);
    cache.apply(CacheAction::Started(k.clone()));
    assert!(!cache.view(&k).needs_fetch, "an in-flight request is not repeated");
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(vec![agreement(1, S1, "a", 1)]) });
    let entry = cache.entry(&k).unwrap();
    assert_eq!(entry.get::<Vec<Agreement>>().unwrap().len(), 1);
    assert!(!entry.in_flight && !entry.stale && !entry.needs_fetch());
    assert!(entry.get::<String>().is_none(), "a wrong type reads as nothing, not a panic");
}

#[test]
fn a_failed_revalidation_keeps_the_last_good_data() {
    let mut cache = CacheStore::default();
    let k = loaded(&mut cache, resources::agreements(S1), vec![agreement(1, S1, "kept", 1)]);
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Failed { key: k.clone(), error: ApiError::Server(503) });
    let view = cache.view(&k);
    assert_eq!(view.get::<Vec<Agreement>>().unwrap()[0].body.as_deref(), Some("kept"));
    assert_eq!(view.error, Some(ApiError::Server(503)));
    assert!(!view.needs_fetch, "no retry loop after a failure");
}

#[test]
fn revalidation_marks_its_scope_stale_and_a_second_one_changes_nothing() {
    let mut cache = CacheStore::default();
    let s1_goals = loaded(&mut cache, resources::session_goals(S1), vec![]);
    let s2_goals = loaded(&mut cache, resources::session_goals(S2), vec![]);
    let revalidate = || CacheAction::Apply(vec![Effect::Revalidate(Scope::SessionGoals(S1))]);
    assert!(cache.apply(revalidate()));
    assert!(cache.view(&s1_goals).needs_fetch && !cache.view(&s2_goals).needs_fetch);
    assert!(!cache.apply(revalidate()), "already stale: no new revision, no renders");
}

#[test]
fn clear_forgets_all_data_but_keeps_mount_counts() {
    let mut cache = CacheStore::default();
    let shown = loaded(&mut cache, resources::organizations(ME), vec![]);
    let hidden = loaded(&mut cache, resources::relationships(ORG), vec![]);
    cache.apply(CacheAction::Mount(shown.clone()));
    cache.apply(CacheAction::Clear);
    assert!(cache.entry(&hidden).is_none());
    let entry = cache.entry(&shown).unwrap();
    assert!(entry.data.is_none() && entry.mounted == 1);
}

#[test]
fn the_reducer_makes_a_new_revision_only_on_change() {
    let before = Rc::new(CacheStore::default());
    let same = CacheAction::Unmount(agreements_key(S1)).apply(before.clone());
    assert!(Rc::ptr_eq(&before, &same) && *same == *before);
    let after = CacheAction::Mount(agreements_key(S1)).apply(before.clone());
    assert!(*after != *before);
}

#[test]
fn a_change_during_a_request_fetches_once_more_after_it() {
    let k = agreements_key(S1);
    let mut cache = CacheStore::default();
    cache.apply(CacheAction::Mount(k.clone()));
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Apply(vec![Effect::Revalidate(Scope::Everything)]));
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(Vec::<Agreement>::new()) });
    assert!(cache.view(&k).needs_fetch, "the answer may predate the change");
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(Vec::<Agreement>::new()) });
    assert!(!cache.view(&k).needs_fetch, "and only once");

    // A written entity during a request has the same effect.
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Apply(vec![Effect::Write(Box::new(Entity::Agreement(agreement(1, S1, "new", 1))))]));
    cache.apply(CacheAction::Failed { key: k.clone(), error: ApiError::Server(502) });
    assert!(cache.view(&k).needs_fetch);
}

#[test]
fn a_view_is_equal_until_what_it_shows_changes() {
    let mut cache = CacheStore::default();
    let k = loaded(&mut cache, resources::agreements(S1), vec![agreement(1, S1, "a", 1)]);
    let other = loaded(&mut cache, resources::agreements(S2), vec![]);
    let before = cache.view(&k);
    cache.apply(CacheAction::Apply(vec![Effect::Write(Box::new(Entity::Agreement(agreement(2, S2, "elsewhere", 1))))]));
    cache.apply(CacheAction::Mount(other));
    assert!(cache.view(&k) == before, "changes to other entries leave this view equal");
    cache.apply(CacheAction::Apply(vec![Effect::Write(Box::new(Entity::Agreement(agreement(1, S1, "edited", 2))))]));
    assert!(cache.view(&k) != before);
}

use super::*;

fn key(path: &str, query: &[(&str, &str)]) -> CacheKey {
    CacheKey::new(path, query.iter().map(|(n, v)| (n.to_string(), v.to_string())))
}

fn data<T: 'static>(value: T) -> Rc<dyn Any> {
    Rc::new(value)
}

#[test]
fn keys_sort_their_query_and_build_the_url() {
    let a = key(
        "/coaching_sessions",
        &[("to_date", "2026-12-31"), ("coaching_relationship_id", "r1"), ("from_date", "2026-01-01")],
    );
    let b = key(
        "/coaching_sessions",
        &[("from_date", "2026-01-01"), ("to_date", "2026-12-31"), ("coaching_relationship_id", "r1")],
    );
    assert_eq!(a, b);
    assert_eq!(a.url(), "/coaching_sessions?coaching_relationship_id=r1&from_date=2026-01-01&to_date=2026-12-31");
    assert_eq!(a.param("from_date"), Some("2026-01-01"));
    assert_eq!(key("/users/u1", &[]).url(), "/users/u1");
    assert_eq!(key("/actions", &[("status", "a b&c")]).url(), "/actions?status=a+b%26c");
}

#[test]
fn a_fetch_starts_loads_and_clears_its_flags() {
    let k = key("/goals", &[("coaching_relationship_id", "r1")]);
    let mut cache = CacheStore::default();
    cache.apply(CacheAction::Mount(k.clone()));
    assert!(cache.entry(&k).unwrap().needs_fetch());
    cache.apply(CacheAction::Started(k.clone()));
    assert!(!cache.entry(&k).unwrap().needs_fetch(), "an in-flight request is not repeated");
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(vec![1, 2]), at: 10.0 });
    let entry = cache.entry(&k).unwrap();
    assert_eq!(*entry.get::<Vec<i32>>().unwrap(), vec![1, 2]);
    assert_eq!(entry.fetched_at, Some(10.0));
    assert!(!entry.in_flight && !entry.stale && !entry.needs_fetch());
    assert!(entry.get::<String>().is_none(), "a wrong type reads as nothing, not a panic");
}

#[test]
fn a_failed_revalidation_keeps_the_last_good_data() {
    let k = key("/notes", &[("coaching_session_id", "s1")]);
    let mut cache = CacheStore::default();
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data("notes".to_string()), at: 1.0 });
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Failed { key: k.clone(), error: ApiError::Server(503) });
    let entry = cache.entry(&k).unwrap();
    assert_eq!(entry.get::<String>().as_deref().map(String::as_str), Some("notes"));
    assert_eq!(entry.error, Some(ApiError::Server(503)));
    assert!(!entry.needs_fetch(), "no retry loop after a failure");
}

#[test]
fn invalidation_marks_matching_entries_and_only_mounted_ones_are_due() {
    let shown = key("/actions", &[("coaching_session_id", "s1")]);
    let hidden = key("/actions", &[("coaching_session_id", "s2")]);
    let other = key("/agreements", &[("coaching_session_id", "s1")]);
    let mut cache = CacheStore::default();
    for k in [&shown, &hidden, &other] {
        cache.apply(CacheAction::Loaded { key: k.clone(), data: data(0), at: 1.0 });
    }
    cache.apply(CacheAction::Mount(shown.clone()));
    cache.apply(CacheAction::Mount(other.clone()));
    let changed = cache.apply(CacheAction::Invalidate(Rc::new(|k: &CacheKey| k.path() == "/actions")));
    assert!(changed);
    assert!(cache.entry(&shown).unwrap().stale && cache.entry(&hidden).unwrap().stale);
    assert!(!cache.entry(&other).unwrap().stale);
    assert_eq!(cache.due_for_refetch(), vec![shown.clone()], "the hidden list waits for its next mount");
    // Invalidating again changes nothing (no extra renders).
    assert!(!cache.apply(CacheAction::Invalidate(Rc::new(|k: &CacheKey| k.path() == "/actions"))));
    cache.apply(CacheAction::Unmount(shown.clone()));
    assert!(cache.due_for_refetch().is_empty());
}

#[test]
fn a_write_through_updates_every_matching_list() {
    let s1 = key("/actions", &[("coaching_session_id", "s1")]);
    let s1_sorted = key("/actions", &[("coaching_session_id", "s1"), ("sort_by", "due_by")]);
    let s2 = key("/actions", &[("coaching_session_id", "s2")]);
    let mut cache = CacheStore::default();
    for k in [&s1, &s1_sorted, &s2] {
        cache.apply(CacheAction::Loaded { key: k.clone(), data: data(vec!["a".to_string()]), at: 1.0 });
    }
    let changed = cache.apply(CacheAction::WriteThrough {
        matches: Rc::new(|k: &CacheKey| k.path() == "/actions" && k.param("coaching_session_id") == Some("s1")),
        update: Rc::new(|_key: &CacheKey, old: &Rc<dyn Any>| {
            let list = old.downcast_ref::<Vec<String>>()?;
            let mut list = list.clone();
            list.push("b".into());
            Some(Rc::new(list) as Rc<dyn Any>)
        }),
    });
    assert!(changed);
    for k in [&s1, &s1_sorted] {
        assert_eq!(*cache.entry(k).unwrap().get::<Vec<String>>().unwrap(), vec!["a".to_string(), "b".to_string()]);
    }
    assert_eq!(cache.entry(&s2).unwrap().get::<Vec<String>>().unwrap().len(), 1);
}

#[test]
fn clear_forgets_all_data_but_keeps_mount_counts() {
    let shown = key("/users/u1", &[]);
    let hidden = key("/users/u1/organizations", &[]);
    let mut cache = CacheStore::default();
    for k in [&shown, &hidden] {
        cache.apply(CacheAction::Loaded { key: k.clone(), data: data(1), at: 1.0 });
    }
    cache.apply(CacheAction::Mount(shown.clone()));
    cache.apply(CacheAction::Clear);
    assert!(cache.entry(&hidden).is_none());
    let entry = cache.entry(&shown).unwrap();
    assert!(entry.data.is_none() && entry.mounted == 1);
}

#[test]
fn the_reducer_makes_a_new_revision_only_on_change() {
    let before = Rc::new(CacheStore::default());
    let same = CacheAction::Unmount(key("/x", &[])).apply(before.clone());
    assert!(Rc::ptr_eq(&before, &same) && *same == *before);
    let after = CacheAction::Mount(key("/x", &[])).apply(before.clone());
    assert!(*after != *before);
}

#[test]
fn a_change_during_a_request_fetches_once_more_after_it() {
    let k = key("/agreements", &[("coaching_session_id", "s1")]);
    let mut cache = CacheStore::default();
    cache.apply(CacheAction::Mount(k.clone()));
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Invalidate(Rc::new(|_: &CacheKey| true)));
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(vec![1]), at: 1.0 });
    assert!(cache.entry(&k).unwrap().needs_fetch(), "the answer may predate the change");
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::Loaded { key: k.clone(), data: data(vec![1, 2]), at: 2.0 });
    assert!(!cache.entry(&k).unwrap().needs_fetch(), "and only once");

    // A write-through during a request has the same effect.
    cache.apply(CacheAction::Started(k.clone()));
    cache.apply(CacheAction::WriteThrough {
        matches: Rc::new(|_: &CacheKey| true),
        update: Rc::new(|_: &CacheKey, _: &Rc<dyn Any>| Some(Rc::new(vec![9]) as Rc<dyn Any>)),
    });
    cache.apply(CacheAction::Failed { key: k.clone(), error: ApiError::Server(502) });
    assert!(cache.entry(&k).unwrap().needs_fetch());
}

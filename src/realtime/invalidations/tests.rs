use serde_json::json;
use tandem_protocol::decode_event;

use super::*;

const S: &str = "00000000-0000-4000-8000-000000000001";
const R: &str = "00000000-0000-4000-8000-000000000002";
const G: &str = "00000000-0000-4000-8000-000000000003";
const X: &str = "00000000-0000-4000-8000-000000000004";
const U: &str = "00000000-0000-4000-8000-000000000005";

fn event(name: &str, data: serde_json::Value) -> Event {
    decode_event(name, &json!({"type": name, "data": data}).to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn stamp() -> &'static str {
    "2026-11-26T04:44:14Z"
}

fn action() -> serde_json::Value {
    json!({"id": X, "coaching_session_id": S, "goal_id": null, "user_id": U, "body": "b", "due_by": null,
        "status": "NotStarted", "status_changed_at": stamp(), "created_at": stamp(), "updated_at": stamp(), "assignee_ids": []})
}

fn goal() -> serde_json::Value {
    json!({"id": G, "coaching_relationship_id": R, "created_in_session_id": null, "user_id": U, "title": "t",
        "body": null, "status": "OnHold", "status_changed_at": null, "completed_at": null, "target_date": null,
        "created_at": stamp(), "updated_at": stamp()})
}

fn text(kind: &str) -> serde_json::Value {
    json!({"id": X, "coaching_session_id": S, "body": kind, "user_id": U, "created_at": stamp(), "updated_at": stamp()})
}

#[test]
fn every_event_type_has_its_scopes() {
    let (s, r, g, x): (CoachingSessionId, CoachingRelationshipId, GoalId, ActionId) =
        (S.parse().unwrap(), R.parse().unwrap(), G.parse().unwrap(), X.parse().unwrap());
    let agreement: AgreementId = X.parse().unwrap();
    let note: NoteId = X.parse().unwrap();
    use Scope::*;
    let table: Vec<(Event, Vec<Scope>)> = vec![
        (
            event("action_created", json!({"coaching_session_id": S, "action": action()})),
            vec![SessionActions(s), Action(x), UserActions],
        ),
        (
            event("action_updated", json!({"coaching_session_id": S, "action": action()})),
            vec![SessionActions(s), Action(x), UserActions],
        ),
        (
            event("action_deleted", json!({"coaching_session_id": S, "action_id": X})),
            vec![SessionActions(s), Action(x), UserActions],
        ),
        (
            event("agreement_created", json!({"coaching_session_id": S, "agreement": text("a")})),
            vec![SessionAgreements(s), Agreement(agreement)],
        ),
        (
            event("agreement_updated", json!({"coaching_session_id": S, "agreement": text("a")})),
            vec![SessionAgreements(s), Agreement(agreement)],
        ),
        (
            event("agreement_deleted", json!({"coaching_session_id": S, "agreement_id": X})),
            vec![SessionAgreements(s), Agreement(agreement)],
        ),
        (
            event("goal_created", json!({"coaching_relationship_id": R, "goal": goal()})),
            vec![RelationshipGoals(r), Goal(g), SessionGoalsOfRelationship(r)],
        ),
        (
            event("goal_updated", json!({"coaching_relationship_id": R, "goal": goal()})),
            vec![RelationshipGoals(r), Goal(g), SessionGoalsOfRelationship(r)],
        ),
        (
            event("goal_deleted", json!({"coaching_relationship_id": R, "goal_id": G})),
            vec![RelationshipGoals(r), Goal(g), SessionGoalsOfRelationship(r)],
        ),
        (
            event(
                "coaching_session_goal_created",
                json!({"coaching_relationship_id": R, "coaching_session_id": S, "goal_id": G}),
            ),
            vec![SessionGoals(s), Goal(g)],
        ),
        (
            event(
                "coaching_session_goal_deleted",
                json!({"coaching_relationship_id": R, "coaching_session_id": S, "goal_id": G}),
            ),
            vec![SessionGoals(s), Goal(g)],
        ),
        (event("coaching_session_title_updated", json!({"coaching_session_id": S})), vec![Session(s)]),
        (
            event("coaching_session_created", json!({"coaching_relationship_id": R, "coaching_session_id": S})),
            vec![Session(s), RelationshipSessions(r)],
        ),
        (
            event("coaching_session_updated", json!({"coaching_relationship_id": R, "coaching_session_id": S})),
            vec![Session(s), RelationshipSessions(r)],
        ),
        (
            event("coaching_session_deleted", json!({"coaching_relationship_id": R, "coaching_session_id": S})),
            vec![Session(s), RelationshipSessions(r)],
        ),
        (
            event("note_created", json!({"coaching_session_id": S, "note": text("n")})),
            vec![SessionNotes(s), Note(note)],
        ),
        (
            event("note_updated", json!({"coaching_session_id": S, "note": text("n")})),
            vec![SessionNotes(s), Note(note)],
        ),
        (event("resync", json!({})), vec![Everything]),
        (event("topics_changed", json!({"coaching_session_id": S})), vec![]),
        (event("meeting_recording_updated", json!({"coaching_session_id": S})), vec![]),
        (event("transcription_updated", json!({"coaching_session_id": S})), vec![]),
        (event("force_logout", json!({"reason": "r"})), vec![]),
    ];
    assert_eq!(table.len(), Event::TYPES.len(), "every event type is in the table");
    for (event, expected) in table {
        assert_eq!(scopes(&event), expected, "{}", event.name());
    }
}

fn key(path: &str, query: &[(&str, &str)]) -> CacheKey {
    CacheKey::new(path, query.iter().map(|(n, v)| (n.to_string(), v.to_string())))
}

#[test]
fn an_action_event_reaches_its_session_only() {
    let cache = CacheStore::default();
    let other_session = "00000000-0000-4000-8000-0000000000ff";
    let predicate = scopes::any_of(
        scopes(&event("action_deleted", json!({"coaching_session_id": S, "action_id": X})))
            .iter()
            .map(|scope| scope.predicate(&cache))
            .collect(),
    );
    assert!(predicate(&key("/actions", &[("coaching_session_id", S)])));
    assert!(predicate(&key(&format!("/actions/{X}"), &[])));
    assert!(predicate(&key(&format!("/users/{U}/actions"), &[("status", "InProgress")])));
    assert!(!predicate(&key("/actions", &[("coaching_session_id", other_session)])), "not every action list");
    assert!(!predicate(&key("/agreements", &[("coaching_session_id", S)])));
}

#[test]
fn goal_events_reach_the_linked_goal_lists_of_the_relationships_sessions() {
    let mut cache = CacheStore::default();
    let session: CoachingSession = serde_json::from_value(json!({
        "id": S, "coaching_relationship_id": R, "coaching_session_series_id": null, "ical_sequence": 0,
        "ical_recurrence_id": null, "collab_document_name": null, "date": "2026-12-03T15:30:00", "duration_minutes": 60,
        "title": null, "meeting_url": null, "provider": null, "created_at": stamp(), "updated_at": stamp(),
        "hydrated_at": null, "notice_given_at": stamp()}))
    .unwrap();
    cache.apply(crate::stores::cache::CacheAction::Loaded {
        key: CacheKey::path_only(format!("/coaching_sessions/{S}")),
        data: Rc::new(session),
        at: 1.0,
    });
    let r: CoachingRelationshipId = R.parse().unwrap();
    let linked = Scope::SessionGoalsOfRelationship(r).predicate(&cache);
    assert!(linked(&key(&format!("/coaching_sessions/{S}/goals"), &[])));
    assert!(!linked(&key(&format!("/coaching_sessions/{X}/goals"), &[])), "a session of another relationship");
    // A title event reaches the session and its relationship's session lists.
    let title = Scope::Session(S.parse().unwrap()).predicate(&cache);
    assert!(title(&key(&format!("/coaching_sessions/{S}"), &[])));
    assert!(title(&key("/coaching_sessions", &[("coaching_relationship_id", R)])));
    assert!(!title(&key("/coaching_sessions", &[("coaching_relationship_id", X)])));
}

fn session_json(title: &str) -> serde_json::Value {
    json!({
        "id": S, "coaching_relationship_id": R, "coaching_session_series_id": null, "ical_sequence": 0,
        "ical_recurrence_id": null, "collab_document_name": null, "date": "2026-12-03T15:30:00", "duration_minutes": 60,
        "title": title, "meeting_url": null, "provider": null, "created_at": stamp(), "updated_at": stamp(),
        "hydrated_at": null, "notice_given_at": stamp()})
}

#[test]
fn a_title_event_with_its_session_is_written_in_and_one_without_revalidates() {
    let store = dispatch::<CacheStore>();
    let key = CacheKey::path_only(format!("/coaching_sessions/{S}"));
    let loaded = |title: &str| crate::stores::cache::CacheAction::Loaded {
        key: key.clone(),
        data: Rc::new(serde_json::from_value::<CoachingSession>(session_json(title)).unwrap()),
        at: 1.0,
    };
    store.apply(loaded("Before"));

    // Tandem's server sends the session: it goes straight into the cache, nothing refetches.
    apply(&event(
        "coaching_session_title_updated",
        json!({"coaching_session_id": S, "coaching_session": session_json("Renamed")}),
    ));
    let entry = store.get().entry(&key).cloned().expect("still cached");
    assert_eq!(entry.get::<CoachingSession>().and_then(|s| s.title.clone()).as_deref(), Some("Renamed"));
    assert!(!entry.stale, "written in, not revalidated");

    // The reference backend names the session only: it is revalidated.
    apply(&event("coaching_session_title_updated", json!({"coaching_session_id": S})));
    assert!(store.get().entry(&key).is_some_and(|entry| entry.stale));
}

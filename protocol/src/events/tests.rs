use serde_json::json;
use serde_json::Value;

use super::*;

const SESSION: &str = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
const RELATIONSHIP: &str = "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12";
const GOAL: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

fn action_json() -> Value {
    // Keys alphabetical, as the reference backend sends entities in events.
    json!({
        "assignee_ids": ["0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f"],
        "body": "Draft the talk outline",
        "coaching_session_id": SESSION,
        "created_at": "2026-11-26T04:44:14.025711Z",
        "due_by": "2026-12-01T17:00:00+01:00",
        "goal_id": null,
        "id": "7f1e2d3c-4b5a-4968-8776-655443322110",
        "status": "InProgress",
        "status_changed_at": "2026-11-26T04:44:14Z",
        "updated_at": "2026-11-26T04:44:14.025711+00:00",
        "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f"
    })
}

fn goal_json() -> Value {
    json!({
        "id": GOAL, "coaching_relationship_id": RELATIONSHIP, "created_in_session_id": null,
        "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f", "title": "Speak at a meetup",
        "body": null, "status": "NotStarted", "status_changed_at": null, "completed_at": null,
        "target_date": "2027-03-31", "created_at": "2026-11-26T04:44:14Z",
        "updated_at": "2026-11-26T04:44:14Z"
    })
}

/// One sample `(type, data)` for every event type in the contract's table.
fn samples() -> Vec<(&'static str, Value)> {
    let note = json!({"id": "11111111-2222-4333-8444-555555555555", "coaching_session_id": SESSION,
        "body": "We talked about delegation.", "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"});
    let agreement = json!({"id": "66666666-2222-4333-8444-555555555555", "coaching_session_id": SESSION,
        "body": null, "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"});
    let session_ref = json!({"coaching_session_id": SESSION});
    let session_changed = json!({"coaching_relationship_id": RELATIONSHIP, "coaching_session_id": SESSION});
    vec![
        ("action_created", json!({"coaching_session_id": SESSION, "action": action_json()})),
        ("action_updated", json!({"coaching_session_id": SESSION, "action": action_json()})),
        (
            "action_deleted",
            json!({"coaching_session_id": SESSION, "action_id": "7f1e2d3c-4b5a-4968-8776-655443322110"}),
        ),
        ("agreement_created", json!({"coaching_session_id": SESSION, "agreement": agreement})),
        ("agreement_updated", json!({"coaching_session_id": SESSION, "agreement": agreement})),
        (
            "agreement_deleted",
            json!({"coaching_session_id": SESSION, "agreement_id": "66666666-2222-4333-8444-555555555555"}),
        ),
        ("goal_created", json!({"coaching_relationship_id": RELATIONSHIP, "goal": goal_json()})),
        ("goal_updated", json!({"coaching_relationship_id": RELATIONSHIP, "goal": goal_json()})),
        ("goal_deleted", json!({"coaching_relationship_id": RELATIONSHIP, "goal_id": GOAL})),
        (
            "coaching_session_goal_created",
            json!({"coaching_relationship_id": RELATIONSHIP, "coaching_session_id": SESSION, "goal_id": GOAL}),
        ),
        (
            "coaching_session_goal_deleted",
            json!({"coaching_relationship_id": RELATIONSHIP, "coaching_session_id": SESSION, "goal_id": GOAL}),
        ),
        ("coaching_session_title_updated", session_ref.clone()),
        ("topics_changed", session_ref.clone()),
        ("meeting_recording_updated", session_ref.clone()),
        ("transcription_updated", session_ref),
        ("force_logout", json!({"reason": "Your password was changed"})),
        ("coaching_session_created", session_changed.clone()),
        ("coaching_session_updated", session_changed.clone()),
        ("coaching_session_deleted", session_changed),
        ("note_created", json!({"coaching_session_id": SESSION, "note": note})),
        ("note_updated", json!({"coaching_session_id": SESSION, "note": note})),
        (
            "note_document_updated",
            json!({"coaching_session_id": SESSION, "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
                "update": "AQHyqcrWCgAEAQVub3RlcwVoZWxsbwA="}),
        ),
        (
            "note_awareness_updated",
            json!({"coaching_session_id": SESSION, "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
                "update": "AU0CBG51bGw="}),
        ),
        (
            "coaching_session_presence_changed",
            json!({"coaching_session_id": SESSION, "present": ["0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f"]}),
        ),
        ("organization_member_changed", json!({"organization_id": ORGANIZATION, "user": user_json()})),
        ("organization_member_removed", json!({"organization_id": ORGANIZATION, "user_id": PERSON})),
        (
            "coaching_relationship_created",
            json!({"organization_id": ORGANIZATION, "coaching_relationship": {
                "id": RELATIONSHIP, "coach_id": PERSON, "coachee_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
                "coach_first_name": "Ada", "coach_last_name": "Coach", "coachee_first_name": "Cy",
                "coachee_last_name": "Coachee", "created_at": "2026-11-26T04:44:14Z",
                "updated_at": "2026-11-26T04:44:14Z"}}),
        ),
        (
            "coaching_relationship_deleted",
            json!({"organization_id": ORGANIZATION, "coaching_relationship_id": RELATIONSHIP}),
        ),
        ("user_updated", json!({"user_id": PERSON, "first_name": "Ada", "last_name": "Coach", "display_name": null})),
        (
            "notification_created",
            json!({"notification": {"id": PERSON, "kind": "action_assigned", "actor_id": PERSON,
                "actor_name": "Ada Coach", "subject": "Write the plan", "coaching_session_id": null,
                "action_id": PERSON, "session_date": null, "created_at": "2026-11-26T04:44:14Z", "read_at": null}}),
        ),
        ("notifications_read", json!({"ids": [PERSON], "read_at": "2026-11-26T04:44:14Z", "unread": 0})),
        ("topic_created", json!({"coaching_session_id": SESSION, "topic": topic_json()})),
        ("topic_updated", json!({"coaching_session_id": SESSION, "topic": topic_json()})),
        ("topic_deleted", json!({"coaching_session_id": SESSION, "topic_id": TOPIC})),
        ("topics_reordered", json!({"coaching_session_id": SESSION, "ordered_ids": [TOPIC]})),
        ("resync", json!({})),
    ]
}

const TOPIC: &str = "5e4d3c2b-1a0f-4e9d-8c7b-a69584736251";

fn topic_json() -> Value {
    json!({
        "id": TOPIC, "coaching_session_id": SESSION, "body": "Delegation", "user_id": PERSON,
        "priority": "High", "status": "Open", "moved_from_session_id": null, "position": 2,
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"
    })
}

const ORGANIZATION: &str = "3c2b1a09-8f7e-4d6c-9b5a-493827161504";
const PERSON: &str = "4d3c2b1a-0f9e-4d8c-9b7a-695847362514";

fn user_json() -> Value {
    json!({
        "id": PERSON, "email": "ada@example.com", "first_name": "Ada", "last_name": "Coach",
        "display_name": null, "github_username": null, "github_profile_url": null, "timezone": "UTC",
        "default_coaching_session_duration_minutes": 60, "roles": [], "invite_status": "pending",
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"
    })
}

#[test]
fn every_event_type_decodes_and_round_trips() {
    let samples = samples();
    assert_eq!(samples.len(), Event::TYPES.len(), "one sample per event type");
    for (name, data) in samples {
        let wire = json!({"type": name, "data": data}).to_string();
        let event = decode_event(name, &wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(event.name(), name);
        let encoded: Value = serde_json::from_str(&event.to_data_json()).unwrap();
        assert_eq!(encoded["type"], name);
        // Re-decoding what we encode gives the same event (offsets normalise to UTC).
        assert_eq!(decode_event(name, &event.to_data_json()).unwrap(), event);
    }
}

#[test]
fn every_listed_type_is_a_variant() {
    for name in Event::TYPES {
        assert!(samples().iter().any(|(sample, _)| *sample == name), "no sample for {name}");
    }
}

#[test]
fn action_event_keeps_offsets_as_instants_and_nulls_as_none() {
    let wire = json!({"type": "action_created", "data": {"coaching_session_id": SESSION, "action": action_json()}});
    let Event::ActionCreated(changed) = decode_event("action_created", &wire.to_string()).unwrap() else {
        panic!("wrong variant");
    };
    let due = changed.action.due_by.unwrap();
    assert_eq!(due.to_rfc3339(), "2026-12-01T16:00:00+00:00");
    assert_eq!(changed.action.goal_id, None);
    assert_eq!(changed.action.status, crate::Status::InProgress);
}

#[test]
fn an_unnamed_event_is_decoded_by_its_type() {
    let wire = json!({"type": "resync", "data": {}}).to_string();
    assert_eq!(decode_event(UNNAMED_EVENT, &wire).unwrap(), Event::Resync(Resync {}));
}

#[test]
fn malformed_input_is_an_error_value() {
    assert!(matches!(decode_event("resync", "not json"), Err(EventDecodeError::NotJson(_))));
    assert!(matches!(decode_event("resync", "{}"), Err(EventDecodeError::MissingType)));
    assert!(matches!(decode_event("resync", "[1,2]"), Err(EventDecodeError::MissingType)));
    assert!(matches!(
        decode_event("action_created", r#"{"type":"resync","data":{}}"#),
        Err(EventDecodeError::NameMismatch { .. })
    ));
    assert_eq!(
        decode_event("topics_renamed", r#"{"type":"topics_renamed","data":{}}"#),
        Err(EventDecodeError::Unknown("topics_renamed".into()))
    );
    let missing_field = json!({"type": "action_deleted", "data": {"coaching_session_id": SESSION}}).to_string();
    assert!(matches!(decode_event("action_deleted", &missing_field), Err(EventDecodeError::Malformed { .. })));
    let bad_id =
        json!({"type": "goal_deleted", "data": {"coaching_relationship_id": "x", "goal_id": GOAL}}).to_string();
    assert!(matches!(decode_event("goal_deleted", &bad_id), Err(EventDecodeError::Malformed { .. })));
    let no_data = json!({"type": "force_logout"}).to_string();
    assert!(matches!(decode_event("force_logout", &no_data), Err(EventDecodeError::Malformed { .. })));
}

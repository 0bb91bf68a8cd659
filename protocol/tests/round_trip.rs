//! Round trips of the entities, envelope and request bodies against JSON written from the
//! contract (`shared/api-contract.md` sections 1, 3 and 4).

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde_json::{json, Value};
use tandem_protocol::*;

/// Decodes `input`, re-encodes it and checks the result equals `expected` as JSON values.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(input: Value, expected: Value) -> T {
    let decoded: T = serde_json::from_value(input).expect("decodes");
    assert_eq!(serde_json::to_value(&decoded).unwrap(), expected);
    decoded
}

#[test]
fn coaching_session_with_naive_date_and_nulls() {
    let input = json!({
        "id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01",
        "coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12",
        "coaching_session_series_id": null, "ical_sequence": 0, "ical_recurrence_id": null,
        "collab_document_name": null, "date": "2026-12-03T15:30:00", "duration_minutes": 60,
        "title": null, "meeting_url": null, "provider": "zoom",
        "created_at": "2026-11-26T04:44:14.025711Z", "updated_at": "2026-11-26T04:44:14.025711Z",
        "hydrated_at": null, "notice_given_at": "2026-11-26T04:44:14Z",
        "display_title": "Session with Sam"
    });
    let session: CoachingSession = round_trip(input.clone(), input);
    let expected = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap().and_hms_opt(15, 30, 0).unwrap();
    assert_eq!(session.date, expected);
    assert_eq!(session.provider, Some(Provider::Zoom));
    assert_eq!(session.title, None);
}

#[test]
fn a_session_without_display_title_omits_it() {
    let input = json!({
        "id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01",
        "coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12",
        "coaching_session_series_id": null, "ical_sequence": 2, "ical_recurrence_id": null,
        "collab_document_name": "doc", "date": "2026-12-03T15:30:00", "duration_minutes": 480,
        "title": "Quarterly review", "meeting_url": "https://meet.example/abc", "provider": null,
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z",
        "hydrated_at": "2026-11-26T04:44:14Z", "notice_given_at": "2026-11-26T04:44:14Z"
    });
    round_trip::<CoachingSession>(input.clone(), input);
}

#[test]
fn action_due_by_with_offset_is_normalised_to_utc() {
    let input = json!({
        "id": "7f1e2d3c-4b5a-4968-8776-655443322110", "coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01",
        "goal_id": null, "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f", "body": null,
        "due_by": "2026-12-01T17:00:00+01:00", "status": "WontDo",
        "status_changed_at": "2026-11-26T04:44:14.5+00:00", "created_at": "2026-11-26T04:44:14Z",
        "updated_at": "2026-11-26T04:44:14Z", "assignee_ids": []
    });
    let mut expected = input.clone();
    expected["due_by"] = json!("2026-12-01T16:00:00Z");
    expected["status_changed_at"] = json!("2026-11-26T04:44:14.500Z");
    let action: Action = round_trip(input, expected);
    assert_eq!(action.due_by, Some(Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).unwrap()));
    assert_eq!(action.status, Status::WontDo);
}

#[test]
fn goal_with_naive_target_date() {
    let input = json!({
        "id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12",
        "created_in_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01",
        "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f", "title": "Lead the offsite", "body": "Plan and host it",
        "status": "Completed", "status_changed_at": "2026-11-20T10:00:00Z", "completed_at": "2026-11-20T10:00:00Z",
        "target_date": "2026-12-31", "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-20T10:00:00Z"
    });
    let goal: Goal = round_trip(input.clone(), input);
    assert_eq!(goal.target_date, NaiveDate::from_ymd_opt(2026, 12, 31));
}

#[test]
fn user_relationship_organization_and_link() {
    let user = json!({
        "id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f", "email": "coach@tandem.demo", "first_name": "Alex",
        "last_name": "Morgan", "display_name": null, "github_username": null, "github_profile_url": null,
        "timezone": "Europe/Berlin", "default_coaching_session_duration_minutes": 60,
        "roles": [{"id": "12345678-1234-4234-8234-123456789abc", "role": "SuperAdmin", "organization_id": null,
                   "user_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f", "created_at": "2026-11-01T09:00:00Z",
                   "updated_at": "2026-11-01T09:00:00Z"}],
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z"
    });
    let user: User = round_trip(user.clone(), user);
    assert_eq!(user.name(), "Alex Morgan");
    assert_eq!(user.roles[0].role, Role::SuperAdmin);

    let relationship = json!({
        "id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12", "coach_id": "0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f",
        "coachee_id": "3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a", "coach_first_name": "Alex", "coach_last_name": "Morgan",
        "coachee_first_name": "Sam", "coachee_last_name": "Rivera",
        "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z"
    });
    round_trip::<CoachingRelationship>(relationship.clone(), relationship);

    let organization = json!({
        "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "name": "Northwind Coaching", "logo": null,
        "slug": "northwind", "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z",
        "archived_at": null, "archived_by": null
    });
    round_trip::<Organization>(organization.clone(), organization);

    let link = json!({"id": "b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01",
        "goal_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "created_at": "2026-11-01T09:00:00Z", "updated_at": "2026-11-01T09:00:00Z"});
    round_trip::<CoachingSessionGoal>(link.clone(), link);
}

#[test]
fn envelopes_and_error_bodies() {
    let envelope = json!({"status_code": 201, "data": {"coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01", "body": null}});
    let decoded: Envelope<AgreementInput> = round_trip(envelope.clone(), envelope);
    assert_eq!(decoded.status_code, 201);

    let no_content = json!({"status_code": 204, "data": null});
    assert_eq!(serde_json::to_value(Envelope::no_content()).unwrap(), no_content);
    round_trip::<Envelope<Option<CoachingSession>>>(no_content.clone(), no_content);

    let deleted = json!({"id": "7f1e2d3c-4b5a-4968-8776-655443322110"});
    round_trip::<Deleted<ActionId>>(deleted.clone(), deleted);
    let unlinked = json!({"goal_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"});
    round_trip::<UnlinkedGoal>(unlinked.clone(), unlinked);

    let conflict = json!({"status_code": 409, "error": "conflict", "message": "At most 3 goals can be in progress",
        "details": {"max_in_progress_goals": 3, "in_progress_goals": [
            {"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "title": "Speak at a meetup"},
            {"id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e", "title": null}]}});
    let body: ErrorBody = round_trip(conflict.clone(), conflict);
    let details: GoalLimitDetails = serde_json::from_value(body.details.unwrap()).unwrap();
    assert_eq!(details.max_in_progress_goals, MAX_IN_PROGRESS_GOALS);
    assert_eq!(details.in_progress_goals[1].title, None);
}

#[test]
fn request_bodies() {
    let session = json!({"coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12",
        "date": "2026-12-03T15:30:00", "duration_minutes": 45, "title": "Kick-off", "meeting_url": null, "provider": "google"});
    round_trip::<NewCoachingSession>(session.clone(), session);
    // Optional fields may be left out by a client.
    let minimal: NewCoachingSession = serde_json::from_value(json!({
        "coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12", "date": "2026-12-03T15:30:00"}))
    .unwrap();
    assert_eq!(minimal.duration_minutes, None);
    let update = json!({"date": "2026-12-04T09:00:00", "duration_minutes": null, "title": null, "meeting_url": null, "provider": null});
    round_trip::<UpdateCoachingSession>(update.clone(), update);
    round_trip::<TitleUpdate>(json!({"title": null}), json!({"title": null}));

    let action = json!({"coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01", "status": "NotStarted",
        "body": "Call Kim", "due_by": "2026-12-01T16:00:00Z", "goal_id": null,
        "assignee_ids": ["0d6a2c1e-3b4f-4c5d-9e8f-7a6b5c4d3e2f"]});
    round_trip::<ActionInput>(action.clone(), action);
    // Without assignee_ids the set is left alone, so the field must not be sent as null.
    let keep_assignees = json!({"coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01", "status": "OnHold"});
    let decoded: ActionInput = serde_json::from_value(keep_assignees).unwrap();
    assert!(serde_json::to_value(&decoded).unwrap().get("assignee_ids").is_none());

    let goal = json!({"coaching_relationship_id": "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12", "status": "InProgress",
        "title": "Lead", "body": null, "target_date": "2027-01-15", "created_in_session_id": null});
    round_trip::<GoalInput>(goal.clone(), goal);
    round_trip::<LinkGoal>(
        json!({"goal_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}),
        json!({"goal_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}),
    );
    let note = json!({"coaching_session_id": "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01", "body": "Notes"});
    round_trip::<NoteInput>(note.clone(), note);
    let password = json!({"current_password": "a", "new_password": "b", "confirm_password": "b"});
    round_trip::<PasswordChange>(password.clone(), password);
}

#[test]
fn wrong_spellings_are_rejected() {
    assert!(serde_json::from_value::<Status>(json!("in_progress")).is_err());
    assert!(serde_json::from_value::<Role>(json!("admin")).is_err());
    assert!(serde_json::from_value::<Provider>(json!("Zoom")).is_err());
    assert_eq!(Status::parse("OnHold"), Some(Status::OnHold));
    assert_eq!(Status::parse("onhold"), None);
    for status in Status::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), json!(status.as_str()));
    }
    // A naive session date must not carry an offset.
    assert!(serde_json::from_value::<NaiveDateTime>(json!("2026-12-03T15:30:00Z")).is_err());
}

#[test]
fn query_pairs_spell_the_contract() {
    let query = CoachingSessionsQuery {
        coaching_relationship_id: "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12".parse().unwrap(),
        from_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        sort_by: Some(SessionSortField::Date),
        sort_order: Some(SortOrder::Desc),
    };
    assert_eq!(
        query.pairs(),
        vec![
            ("coaching_relationship_id", "5e3c7a2b-0d4f-4b8e-8a1c-2f6e9d0b7c12".to_owned()),
            ("from_date", "2026-01-01".to_owned()),
            ("to_date", "2026-12-31".to_owned()),
            ("sort_by", "date".to_owned()),
            ("sort_order", "desc".to_owned()),
        ]
    );
    let filters = UserActionsQuery { status: Some(Status::InProgress), ..Default::default() };
    assert_eq!(filters.pairs(), vec![("status", "InProgress".to_owned())]);
}

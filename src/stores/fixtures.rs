//! Entities for the unit tests of the stores: fixed ids, versions by the second.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tandem_protocol::*;
use uuid::Uuid;

pub const S1: CoachingSessionId = CoachingSessionId(Uuid::from_u128(1));
pub const S2: CoachingSessionId = CoachingSessionId(Uuid::from_u128(2));
pub const R1: CoachingRelationshipId = CoachingRelationshipId(Uuid::from_u128(3));
pub const R2: CoachingRelationshipId = CoachingRelationshipId(Uuid::from_u128(4));
pub const ME: UserId = UserId(Uuid::from_u128(5));
pub const ORG: OrganizationId = OrganizationId(Uuid::from_u128(6));

/// 2026-11-30 12:00:`second` UTC.
pub fn at(second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, second).unwrap()
}

pub fn action(n: u128, session: CoachingSessionId, body: &str, version: u32) -> Action {
    Action {
        id: ActionId(Uuid::from_u128(n)),
        coaching_session_id: session,
        goal_id: None,
        user_id: ME,
        body: Some(body.into()),
        due_by: None,
        status: Status::NotStarted,
        status_changed_at: at(0),
        created_at: at(0),
        updated_at: at(version),
        assignee_ids: vec![ME],
    }
}

pub fn agreement(n: u128, session: CoachingSessionId, body: &str, version: u32) -> Agreement {
    Agreement {
        id: AgreementId(Uuid::from_u128(n)),
        coaching_session_id: session,
        body: Some(body.into()),
        user_id: ME,
        created_at: at(0),
        updated_at: at(version),
    }
}

pub fn note(n: u128, session: CoachingSessionId, body: &str, version: u32) -> Note {
    Note {
        id: NoteId(Uuid::from_u128(n)),
        coaching_session_id: session,
        body: Some(body.into()),
        user_id: ME,
        created_at: at(0),
        updated_at: at(version),
    }
}

pub fn goal(n: u128, relationship: CoachingRelationshipId, title: &str, version: u32) -> Goal {
    Goal {
        id: GoalId(Uuid::from_u128(n)),
        coaching_relationship_id: relationship,
        created_in_session_id: None,
        user_id: ME,
        title: Some(title.into()),
        body: None,
        status: Status::NotStarted,
        status_changed_at: None,
        completed_at: None,
        target_date: None,
        created_at: at(0),
        updated_at: at(version),
    }
}

/// A session of `relationship` on 2026-`month`-`day` at 10:00.
pub fn session(
    id: CoachingSessionId,
    relationship: CoachingRelationshipId,
    month: u32,
    day: u32,
    version: u32,
) -> CoachingSession {
    CoachingSession {
        id,
        coaching_relationship_id: relationship,
        coaching_session_series_id: None,
        ical_sequence: 0,
        ical_recurrence_id: None,
        collab_document_name: None,
        date: NaiveDate::from_ymd_opt(2026, month, day).unwrap().and_hms_opt(10, 0, 0).unwrap(),
        duration_minutes: 60,
        title: None,
        meeting_url: None,
        provider: None,
        created_at: at(0),
        updated_at: at(version),
        hydrated_at: None,
        notice_given_at: at(0),
        display_title: None,
    }
}

/// The sessions of `relationship` from 2026-`from` to 2026-`to` (month, day), oldest first.
pub fn sessions_query(relationship: CoachingRelationshipId, from: (u32, u32), to: (u32, u32)) -> CoachingSessionsQuery {
    CoachingSessionsQuery {
        coaching_relationship_id: relationship,
        from_date: NaiveDate::from_ymd_opt(2026, from.0, from.1).unwrap(),
        to_date: NaiveDate::from_ymd_opt(2026, to.0, to.1).unwrap(),
        sort_by: None,
        sort_order: None,
    }
}

/// Relationship `R1`: Alex Morgan (`ME`) coaching Sam Rivera.
pub fn relationship() -> CoachingRelationship {
    CoachingRelationship {
        id: R1,
        coach_id: ME,
        coachee_id: UserId(Uuid::from_u128(7)),
        coach_first_name: "Alex".into(),
        coach_last_name: "Morgan".into(),
        coachee_first_name: "Sam".into(),
        coachee_last_name: "Rivera".into(),
        created_at: at(0),
        updated_at: at(0),
    }
}

/// Sam Rivera, the coachee of [`relationship`].
pub const SAM: UserId = UserId(Uuid::from_u128(7));

/// A member of an organization's list, at `version` seconds.
pub fn member(id: UserId, first_name: &str, status: InviteStatus, version: u32) -> User {
    User {
        id,
        email: format!("{}@example.com", first_name.to_lowercase()),
        first_name: first_name.into(),
        last_name: "Member".into(),
        display_name: None,
        github_username: None,
        github_profile_url: None,
        timezone: "UTC".into(),
        default_coaching_session_duration_minutes: 60,
        roles: vec![],
        invite_status: Some(status),
        created_at: at(0),
        updated_at: at(version),
    }
}

/// Inbox item `n`: Sam assigned `ME` an action on `S1`, `second`s past the hour, unread.
pub fn notification(n: u128, second: u32) -> Notification {
    Notification {
        id: NotificationId(Uuid::from_u128(n)),
        kind: NotificationKind::ActionAssigned,
        actor_id: Some(SAM),
        actor_name: "Sam Rivera".into(),
        subject: format!("Action {n}"),
        coaching_session_id: Some(S1),
        action_id: Some(ActionId(Uuid::from_u128(n))),
        session_date: None,
        created_at: at(second),
        read_at: None,
    }
}

/// An inbox holding `items` (newest first), of which `unread` are unread in all.
pub fn inbox(unread: u32, items: Vec<Notification>) -> Inbox {
    Inbox { unread, items }
}

/// Topic `n` of `session` at `position`, in version `version`.
pub fn topic(n: u128, session: CoachingSessionId, body: &str, position: i32, version: u32) -> Topic {
    Topic {
        id: TopicId(Uuid::from_u128(n)),
        coaching_session_id: session,
        body: body.into(),
        user_id: ME,
        priority: None,
        status: TopicStatus::Open,
        moved_from_session_id: None,
        position,
        created_at: at(0),
        updated_at: at(version),
    }
}

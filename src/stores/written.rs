//! A write of this tab succeeded: its answer goes through the event table as the event the
//! server sends to everyone else for it, so the person who acted sees the change at once,
//! exactly as the other person will (and the echo of that event then changes nothing).

use tandem_protocol::{
    Action, ActionChanged, ActionDeleted, ActionId, Agreement, AgreementChanged, AgreementDeleted, AgreementId,
    CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionId, Event, Goal, GoalChanged,
    GoalDeleted, GoalId, MemberRemoved, Note, NoteChanged, Organization, OrganizationId, RelationshipCreated,
    SessionChanged, SessionGoalChanged, SessionRetitled, Topic, TopicChanged, TopicDeleted, TopicId, TopicsReordered,
    User, UserId,
};

use super::change::{Effect, Entity, Removed, Scope};
use super::effects::{apply, apply_event};

/// An action was created or changed.
pub fn action_saved(action: &Action) {
    apply_event(&Event::ActionUpdated(ActionChanged {
        coaching_session_id: action.coaching_session_id,
        action: action.clone(),
    }));
}

/// An action was deleted.
pub fn action_deleted(session: CoachingSessionId, id: ActionId) {
    apply_event(&Event::ActionDeleted(ActionDeleted { coaching_session_id: session, action_id: id }));
}

/// An agreement was created or changed.
pub fn agreement_saved(agreement: &Agreement) {
    apply_event(&Event::AgreementUpdated(AgreementChanged {
        coaching_session_id: agreement.coaching_session_id,
        agreement: agreement.clone(),
    }));
}

/// An agreement was deleted.
pub fn agreement_deleted(session: CoachingSessionId, id: AgreementId) {
    apply_event(&Event::AgreementDeleted(AgreementDeleted { coaching_session_id: session, agreement_id: id }));
}

/// A topic was added or changed, or arrived on its session (deferred here, or brought back).
pub fn topic_saved(topic: &Topic) {
    apply_event(&Event::TopicUpdated(TopicChanged {
        coaching_session_id: topic.coaching_session_id,
        topic: topic.clone(),
    }));
}

/// A topic left `session`'s agenda: deleted, or (with `now` on another session) moved there.
pub fn topic_left(session: CoachingSessionId, id: TopicId, now: Option<&Topic>) {
    apply_event(&Event::TopicDeleted(TopicDeleted { coaching_session_id: session, topic_id: id }));
    if let Some(topic) = now {
        topic_saved(topic);
    }
}

/// A session's agenda was put in a new order (the answer: every topic, in it).
pub fn topics_reordered(session: CoachingSessionId, topics: &[Topic]) {
    apply_event(&Event::TopicsReordered(TopicsReordered {
        coaching_session_id: session,
        ordered_ids: topics.iter().map(|t| t.id).collect(),
    }));
    topics.iter().for_each(topic_saved);
}

/// A note was created or changed.
pub fn note_saved(note: &Note) {
    apply_event(&Event::NoteUpdated(NoteChanged { coaching_session_id: note.coaching_session_id, note: note.clone() }));
}

/// A goal was created or changed.
pub fn goal_saved(goal: &Goal) {
    apply_event(&Event::GoalUpdated(GoalChanged {
        coaching_relationship_id: goal.coaching_relationship_id,
        goal: goal.clone(),
    }));
}

/// A goal was deleted.
pub fn goal_deleted(relationship: CoachingRelationshipId, id: GoalId) {
    apply_event(&Event::GoalDeleted(GoalDeleted { coaching_relationship_id: relationship, goal_id: id }));
}

/// A goal was linked to a session (`linked`) or unlinked from it.
pub fn goal_link_changed(relationship: CoachingRelationshipId, session: CoachingSessionId, goal: GoalId, linked: bool) {
    let change =
        SessionGoalChanged { coaching_relationship_id: relationship, coaching_session_id: session, goal_id: goal };
    apply_event(&if linked {
        Event::CoachingSessionGoalCreated(change)
    } else {
        Event::CoachingSessionGoalDeleted(change)
    });
}

/// A session was scheduled.
pub fn session_created(session: &CoachingSession) {
    apply_event(&Event::CoachingSessionCreated(SessionChanged {
        coaching_relationship_id: session.coaching_relationship_id,
        coaching_session_id: session.id,
        coaching_session: Some(session.clone()),
    }));
}

/// A session was rescheduled: the answer holds no data, so what shows it is fetched again.
pub fn session_rescheduled(relationship: CoachingRelationshipId, id: CoachingSessionId) {
    apply_event(&Event::CoachingSessionUpdated(SessionChanged {
        coaching_relationship_id: relationship,
        coaching_session_id: id,
        coaching_session: None,
    }));
}

/// A session was deleted.
pub fn session_deleted(relationship: CoachingRelationshipId, id: CoachingSessionId) {
    apply_event(&Event::CoachingSessionDeleted(SessionChanged {
        coaching_relationship_id: relationship,
        coaching_session_id: id,
        coaching_session: None,
    }));
}

/// A session got a new title.
pub fn session_retitled(session: &CoachingSession) {
    apply_event(&Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: session.id,
        coaching_session: Some(session.clone()),
    }));
}

/// An organization was created, renamed, archived or unarchived. No event tells of it, so
/// the people's own lists of organizations (a SuperAdmin's holds every active one) are
/// fetched again.
pub fn organization_saved(organization: &Organization) {
    apply(vec![
        Effect::Write(Box::new(Entity::Organization(organization.clone()))),
        Effect::Revalidate(Scope::Organizations),
    ]);
}

/// An organization was deleted.
pub fn organization_deleted(id: OrganizationId) {
    apply(vec![Effect::Remove(Removed::Organization(id))]);
}

/// A member was added, invited again or given another role: the answer is not the member
/// list's shape (no invite status), so the list is fetched again, and the relationships
/// too (adding with a coach pairs them).
pub fn members_changed(organization: OrganizationId) {
    apply(vec![
        Effect::Revalidate(Scope::Members(organization)),
        Effect::Revalidate(Scope::Relationships(organization)),
    ]);
}

/// A member was removed (their account deleted, and their relationships with it).
pub fn member_removed(organization: OrganizationId, user: UserId) {
    apply_event(&Event::OrganizationMemberRemoved(MemberRemoved { organization_id: organization, user_id: user }));
    apply(vec![Effect::Revalidate(Scope::Relationships(organization))]);
}

/// A coach and a coachee were paired.
pub fn relationship_created(organization: OrganizationId, relationship: &CoachingRelationship) {
    apply_event(&Event::CoachingRelationshipCreated(RelationshipCreated {
        organization_id: organization,
        coaching_relationship: relationship.clone(),
    }));
}

/// The signed-in person's profile as the server now holds it.
pub fn profile_loaded(user: &User) {
    apply(vec![Effect::Write(Box::new(Entity::Profile(user.clone())))]);
}

/// Sessions were scheduled or moved together (a series made or rescheduled): each goes
/// through the table as the event the server sends for it.
pub fn sessions_saved(sessions: &[CoachingSession]) {
    for session in sessions {
        apply_event(&Event::CoachingSessionUpdated(SessionChanged {
            coaching_relationship_id: session.coaching_relationship_id,
            coaching_session_id: session.id,
            coaching_session: Some(session.clone()),
        }));
    }
}

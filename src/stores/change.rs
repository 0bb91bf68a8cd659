//! The changes the cache knows: an entity written, one removed, a part made stale. The event
//! table ([`super::effects`]) makes them; the cache ([`super::cache`]) applies them, each entry
//! through [`super::merge`]. They have a module of their own so that none of the three
//! imports another in a circle.

use tandem_protocol::{
    Action, ActionId, Agreement, AgreementId, CoachingRelationship, CoachingRelationshipId, CoachingSession,
    CoachingSessionId, Goal, GoalId, Note, Notification, NotificationsRead, Organization, OrganizationId,
    SessionPresence, Topic, TopicId, User, UserId, UserUpdated,
};

/// An entity as the server now holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Entity {
    Action(Action),
    Agreement(Agreement),
    Goal(Goal),
    Note(Note),
    /// A topic of a session's agenda [extension: the reference sends no topic].
    Topic(Topic),
    /// A session's agenda in a new order [extension].
    TopicOrder {
        session: CoachingSessionId,
        ids: Vec<TopicId>,
    },
    Session(CoachingSession),
    /// Who has a session open [extension].
    Presence(SessionPresence),
    /// A member as their organization's member list shows them.
    Member {
        organization: OrganizationId,
        user: User,
    },
    /// A coaching relationship of an organization.
    Relationship {
        organization: OrganizationId,
        relationship: CoachingRelationship,
    },
    Organization(Organization),
    /// The signed-in person's whole profile (`GET /users/{id}`).
    Profile(User),
    /// A person's new name, wherever it is shown [extension].
    Names(UserUpdated),
    /// A new item of the signed-in person's inbox [extension].
    Notification(Notification),
    /// Items of the signed-in person's inbox marked read, in any of their tabs [extension].
    NotificationsRead(NotificationsRead),
}

/// Something the server no longer holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Removed {
    Action {
        session: CoachingSessionId,
        id: ActionId,
    },
    Agreement {
        session: CoachingSessionId,
        id: AgreementId,
    },
    Goal {
        relationship: CoachingRelationshipId,
        id: GoalId,
    },
    /// A goal unlinked from a session (the goal itself stays).
    GoalLink {
        session: CoachingSessionId,
        goal: GoalId,
    },
    Session {
        relationship: CoachingRelationshipId,
        id: CoachingSessionId,
    },
    /// A topic gone from a session's agenda (deleted, or deferred to another session).
    Topic {
        session: CoachingSessionId,
        id: TopicId,
    },
    /// A member removed from an organization (their account deleted).
    Member {
        organization: OrganizationId,
        user: UserId,
    },
    Relationship {
        organization: OrganizationId,
        id: CoachingRelationshipId,
    },
    Organization(OrganizationId),
}

/// A part of the cache that must be fetched again because what changed cannot be written
/// into it (the change's data is not in the event, or the entry's filters are unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every entry (after `resync`, or a reconnect without replay).
    Everything,
    /// Every person's filtered action lists: who an action is assigned to is not in its key.
    UserActions,
    /// One session.
    Session(CoachingSessionId),
    /// The session lists that hold this session, or may (not loaded yet).
    ListsHolding(CoachingSessionId),
    /// The session lists of a relationship.
    RelationshipSessions(CoachingRelationshipId),
    /// The goal lists of a relationship.
    RelationshipGoals(CoachingRelationshipId),
    /// The goals linked to a session.
    SessionGoals(CoachingSessionId),
    /// A session's agenda (the reference's `topics_changed` carries nothing else).
    Topics(CoachingSessionId),
    /// An organization's member list.
    Members(OrganizationId),
    /// An organization's relationship list.
    Relationships(OrganizationId),
    /// Every person's list of their organizations (a new one may belong in it).
    Organizations,
    /// The organizations of one person (only the signed-in person's are ever cached).
    OrganizationsOf(UserId),
}

/// One change to the cache.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Boxed: an entity is far larger than the other variants.
    Write(Box<Entity>),
    Remove(Removed),
    Revalidate(Scope),
}

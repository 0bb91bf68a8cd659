//! One hook per thing the app shows, each a [`use_api`] of its key in [`crate::api::keys`].

use tandem_protocol::{
    Action, Agreement, CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionId,
    CoachingSessionsQuery, Goal, Note, Organization, OrganizationId, User, UserActionsQuery, UserId,
};
use yew::prelude::*;

use super::{use_api, Query};
use crate::api::keys;

/// The signed-in person's own record.
#[hook]
pub fn use_user(id: UserId) -> Query<User> {
    use_api(keys::user(id))
}

/// The organizations of the signed-in person.
#[hook]
pub fn use_organizations(user: UserId) -> Query<Vec<Organization>> {
    use_api(keys::organizations(user))
}

/// The coaching relationships of an organization that the person may see.
#[hook]
pub fn use_relationships(organization: OrganizationId) -> Query<Vec<CoachingRelationship>> {
    use_api(keys::relationships(organization))
}

/// The sessions of a relationship in a date range.
#[hook]
pub fn use_sessions(query: &CoachingSessionsQuery) -> Query<Vec<CoachingSession>> {
    use_api(keys::sessions(query))
}

/// One session.
#[hook]
pub fn use_session(id: CoachingSessionId) -> Query<CoachingSession> {
    use_api(keys::session(id))
}

/// The actions of a session.
#[hook]
pub fn use_actions(session: CoachingSessionId) -> Query<Vec<Action>> {
    use_api(keys::actions(session))
}

/// The actions assigned to a person, filtered.
#[hook]
pub fn use_user_actions(user: UserId, filters: &UserActionsQuery) -> Query<Vec<Action>> {
    use_api(keys::user_actions(user, filters))
}

/// The agreements of a session.
#[hook]
pub fn use_agreements(session: CoachingSessionId) -> Query<Vec<Agreement>> {
    use_api(keys::agreements(session))
}

/// The goals of a relationship.
#[hook]
pub fn use_goals(relationship: CoachingRelationshipId) -> Query<Vec<Goal>> {
    use_api(keys::goals(relationship))
}

/// The goals linked to a session.
#[hook]
pub fn use_session_goals(session: CoachingSessionId) -> Query<Vec<Goal>> {
    use_api(keys::session_goals(session))
}

/// The notes of a session.
#[hook]
pub fn use_notes(session: CoachingSessionId) -> Query<Vec<Note>> {
    use_api(keys::notes(session))
}

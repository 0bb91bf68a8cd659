//! Every GET the app reads, declared once: its cache [`Key`], the type of its answer, the ids
//! it is scoped by and its URL. [`Resource`] carries the answer's type, so the hooks that show
//! it, the preload that starts it early and the cache that keeps it cannot disagree on it (a
//! mismatch does not compile). What a change does to each resource's cached answer is
//! decided by [`crate::stores::merge`], whose `match` over [`Key`] has no catch-all, so a new
//! resource cannot be forgotten there either.

use std::fmt;
use std::marker::PhantomData;

use tandem_protocol::{
    Action, Agreement, CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionId,
    CoachingSessionsQuery, Goal, GoalId, GoalsQuery, Inbox, Note, Organization, OrganizationId, OrganizationStatus,
    ProgressMetrics, QueryPairs, SessionItemsQuery, SessionPresence, Topic, User, UserActionsQuery, UserId,
};

/// A GET of the API whose answer is a `T`.
pub struct Resource<T> {
    key: Key,
    answer: PhantomData<fn() -> T>,
}

impl<T> Resource<T> {
    fn new(key: Key) -> Self {
        Resource { key, answer: PhantomData }
    }

    /// Its cache key.
    pub fn key(&self) -> &Key {
        &self.key
    }
}

impl<T> Clone for Resource<T> {
    fn clone(&self) -> Self {
        Resource::new(self.key.clone())
    }
}

impl<T> PartialEq for Resource<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<T> fmt::Debug for Resource<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.key.fmt(f)
    }
}

/// `path?query`, the query sorted by name so one request always has one URL.
fn with_query(path: &str, mut pairs: QueryPairs) -> String {
    pairs.sort();
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// Declares the resources: for each, a [`Key`] variant scoped by its ids, the URL of that
/// key, and a constructor returning the typed [`Resource`].
macro_rules! resources {
    ($(
        $(#[$doc:meta])*
        $constructor:ident: $variant:ident($($id:ident: $id_type:ty),+) -> $answer:ty = $url:expr;
    )+) => {
        /// The cache key of a GET: which resource, scoped by which ids.
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub enum Key {
            $( $(#[$doc])* $variant($($id_type),+), )+
        }

        impl Key {
            /// The URL to request, relative to the API base.
            pub fn url(&self) -> String {
                match self {
                    $( Key::$variant($($id),+) => $url, )+
                }
            }
        }

        $(
            $(#[$doc])*
            pub fn $constructor($($id: $id_type),+) -> Resource<$answer> {
                Resource::new(Key::$variant($($id),+))
            }
        )+
    };
}

resources! {
    /// `GET /users/{id}/organizations`: the organizations of a person.
    organizations: Organizations(user: UserId) -> Vec<Organization> = format!("/users/{user}/organizations");
    /// `GET /organizations/{id}/coaching_relationships`: the relationships a person may see.
    relationships: Relationships(organization: OrganizationId) -> Vec<CoachingRelationship> =
        format!("/organizations/{organization}/coaching_relationships");
    /// `GET /coaching_sessions?…`: the sessions of a relationship in a date range.
    sessions: Sessions(query: CoachingSessionsQuery) -> Vec<CoachingSession> =
        with_query("/coaching_sessions", query.pairs());
    /// `GET /coaching_sessions/{id}`: one session.
    session: Session(id: CoachingSessionId) -> CoachingSession = format!("/coaching_sessions/{id}");
    /// `GET /actions?coaching_session_id=…`: the actions of a session.
    actions: Actions(session: CoachingSessionId) -> Vec<Action> =
        with_query("/actions", SessionItemsQuery::of(*session).pairs());
    /// `GET /users/{id}/actions?…`: the actions assigned to a person, filtered.
    user_actions: UserActions(user: UserId, filters: UserActionsQuery) -> Vec<Action> =
        with_query(&format!("/users/{user}/actions"), filters.pairs());
    /// `GET /agreements?coaching_session_id=…`: the agreements of a session.
    agreements: Agreements(session: CoachingSessionId) -> Vec<Agreement> =
        with_query("/agreements", SessionItemsQuery::of(*session).pairs());
    /// `GET /notes?coaching_session_id=…`: the notes of a session.
    notes: Notes(session: CoachingSessionId) -> Vec<Note> =
        with_query("/notes", SessionItemsQuery::of(*session).pairs());
    /// `GET /goals?coaching_relationship_id=…`: every goal of a relationship.
    goals: Goals(relationship: CoachingRelationshipId) -> Vec<Goal> = with_query(
        "/goals",
        GoalsQuery { coaching_relationship_id: *relationship, status: None }.pairs(),
    );
    /// `GET /coaching_sessions/{id}/goals`: the goals linked to a session.
    session_goals: SessionGoals(session: CoachingSessionId) -> Vec<Goal> = format!("/coaching_sessions/{session}/goals");
    /// `GET /goals/{id}/progress`: how far a goal has come.
    goal_progress: GoalProgress(goal: GoalId) -> ProgressMetrics = format!("/goals/{goal}/progress");
    /// `GET /coaching_sessions/{id}/topics`: a session's agenda, in order.
    topics: Topics(session: CoachingSessionId) -> Vec<Topic> = format!("/coaching_sessions/{session}/topics");
    /// `GET /coaching_sessions/{id}/presence` [extension]: who has the session open.
    presence: Presence(session: CoachingSessionId) -> SessionPresence = format!("/coaching_sessions/{session}/presence");
    /// `GET /users/{id}`: the signed-in person's whole profile.
    user: User(id: UserId) -> User = format!("/users/{id}");
    /// `GET /organizations/{id}`: one organization.
    organization: Organization(id: OrganizationId) -> Organization = format!("/organizations/{id}");
    /// `GET /organizations?status=…`: every organization a SuperAdmin may manage, by status.
    all_organizations: AllOrganizations(status: OrganizationStatus) -> Vec<Organization> =
        format!("/organizations?status={}", status.as_str());
    /// `GET /organizations/{id}/users`: the members, with their roles there and invite status.
    members: Members(organization: OrganizationId) -> Vec<User> = format!("/organizations/{organization}/users");
    /// `GET /notifications?limit=…` [extension]: the signed-in person's inbox, newest first.
    /// Keyed by the person, though the route names none (the session does).
    inbox: Inbox(_person: UserId) -> Inbox = INBOX_URL.to_owned();
}

/// The inbox's URL: as many items as the bell's panel shows.
const INBOX_URL: &str = "/notifications?limit=20";

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use tandem_protocol::{SortOrder, Status};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn urls_follow_the_contract_with_the_query_in_one_order() {
        let session_id = CoachingSessionId(Uuid::from_u128(1));
        let relationship = CoachingRelationshipId(Uuid::from_u128(2));
        let user = UserId(Uuid::from_u128(3));
        assert_eq!(actions(session_id).key().url(), format!("/actions?coaching_session_id={session_id}"));
        assert_eq!(session_goals(session_id).key().url(), format!("/coaching_sessions/{session_id}/goals"));
        assert_eq!(goals(relationship).key().url(), format!("/goals?coaching_relationship_id={relationship}"));
        let filtered = user_actions(user, UserActionsQuery { status: Some(Status::InProgress), ..Default::default() });
        assert_eq!(filtered.key().url(), format!("/users/{user}/actions?status=InProgress"));
        let range = sessions(CoachingSessionsQuery {
            coaching_relationship_id: relationship,
            from_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            sort_by: None,
            sort_order: Some(SortOrder::Desc),
        });
        assert_eq!(
            range.key().url(),
            format!("/coaching_sessions?coaching_relationship_id={relationship}&from_date=2026-01-01&sort_order=desc&to_date=2026-12-31")
        );
    }

    #[test]
    fn one_request_has_one_key_and_different_scopes_differ() {
        let (a, b) = (CoachingSessionId(Uuid::from_u128(1)), CoachingSessionId(Uuid::from_u128(2)));
        assert_eq!(actions(a).key(), actions(a).key());
        assert_ne!(actions(a).key(), actions(b).key());
        assert_ne!(actions(a).key(), agreements(a).key());
        assert_ne!(notes(a).key(), agreements(a).key());
    }

    #[test]
    fn account_resources_follow_the_reference_routes() {
        let (user_id, org) = (UserId(Uuid::from_u128(3)), OrganizationId(Uuid::from_u128(4)));
        assert_eq!(user(user_id).key().url(), format!("/users/{user_id}"));
        assert_eq!(organization(org).key().url(), format!("/organizations/{org}"));
        assert_eq!(members(org).key().url(), format!("/organizations/{org}/users"));
        assert_eq!(all_organizations(OrganizationStatus::Archived).key().url(), "/organizations?status=archived");
        assert_ne!(
            all_organizations(OrganizationStatus::All).key(),
            all_organizations(OrganizationStatus::Active).key()
        );
        assert_eq!(inbox(user_id).key().url(), "/notifications?limit=20");
        assert_ne!(inbox(user_id).key(), inbox(UserId(Uuid::from_u128(5))).key());
    }
}

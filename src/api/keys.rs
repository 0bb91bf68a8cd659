//! Cache keys of every GET the app makes: one function per route, built from the protocol's
//! query structs so the key, the request and the server's parsing agree.

use tandem_protocol::{
    CoachingRelationshipId, CoachingSessionId, CoachingSessionsQuery, GoalsQuery, OrganizationId, SessionItemsQuery,
    UserActionsQuery, UserId,
};

use crate::stores::cache::CacheKey;

/// `GET /users/{id}`.
pub fn user(id: UserId) -> CacheKey {
    CacheKey::path_only(format!("/users/{id}"))
}

/// `GET /users/{id}/organizations`.
pub fn organizations(user: UserId) -> CacheKey {
    CacheKey::path_only(format!("/users/{user}/organizations"))
}

/// `GET /organizations/{id}/coaching_relationships`.
pub fn relationships(organization: OrganizationId) -> CacheKey {
    CacheKey::path_only(format!("/organizations/{organization}/coaching_relationships"))
}

/// `GET /coaching_sessions?…`.
pub fn sessions(query: &CoachingSessionsQuery) -> CacheKey {
    CacheKey::new("/coaching_sessions", query.pairs())
}

/// `GET /coaching_sessions/{id}`.
pub fn session(id: CoachingSessionId) -> CacheKey {
    CacheKey::path_only(format!("/coaching_sessions/{id}"))
}

/// `GET /actions?coaching_session_id=…`.
pub fn actions(session: CoachingSessionId) -> CacheKey {
    CacheKey::new("/actions", SessionItemsQuery::of(session).pairs())
}

/// `GET /users/{id}/actions?…`.
pub fn user_actions(user: UserId, filters: &UserActionsQuery) -> CacheKey {
    CacheKey::new(format!("/users/{user}/actions"), filters.pairs())
}

/// `GET /agreements?coaching_session_id=…`.
pub fn agreements(session: CoachingSessionId) -> CacheKey {
    CacheKey::new("/agreements", SessionItemsQuery::of(session).pairs())
}

/// `GET /notes?coaching_session_id=…`.
pub fn notes(session: CoachingSessionId) -> CacheKey {
    CacheKey::new("/notes", SessionItemsQuery::of(session).pairs())
}

/// `GET /goals?coaching_relationship_id=…`.
pub fn goals(relationship: CoachingRelationshipId) -> CacheKey {
    CacheKey::new("/goals", GoalsQuery { coaching_relationship_id: relationship, status: None }.pairs())
}

/// `GET /coaching_sessions/{id}/goals`.
pub fn session_goals(session: CoachingSessionId) -> CacheKey {
    CacheKey::path_only(format!("/coaching_sessions/{session}/goals"))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use tandem_protocol::Status;
    use uuid::Uuid;

    use super::*;
    use crate::stores::scopes;

    #[test]
    fn every_key_is_selected_by_its_scope_and_no_other_ones() {
        let (s1, s2) = (CoachingSessionId(Uuid::from_u128(1)), CoachingSessionId(Uuid::from_u128(2)));
        let r1 = CoachingRelationshipId(Uuid::from_u128(3));
        let user = UserId(Uuid::from_u128(4));
        let sessions_key = sessions(&CoachingSessionsQuery {
            coaching_relationship_id: r1,
            from_date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            sort_by: None,
            sort_order: None,
        });
        let filtered = user_actions(user, &UserActionsQuery { status: Some(Status::InProgress), ..Default::default() });
        assert!(scopes::session_actions(s1)(&actions(s1)));
        assert!(!scopes::session_actions(s2)(&actions(s1)));
        assert!(scopes::session_agreements(s1)(&agreements(s1)));
        assert!(!scopes::session_agreements(s1)(&notes(s1)));
        assert!(scopes::session_notes(s1)(&notes(s1)));
        assert!(scopes::relationship_goals(r1)(&goals(r1)));
        assert!(scopes::session_goals(s1)(&session_goals(s1)));
        assert!(scopes::session(s1)(&session(s1)));
        assert!(scopes::relationship_sessions(r1)(&sessions_key));
        assert!(scopes::user_actions()(&filtered));
        assert!(!scopes::user_actions()(&organizations(user)));
        assert_eq!(filtered.url(), format!("/users/{user}/actions?status=InProgress"));
    }
}

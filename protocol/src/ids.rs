//! Typed ids: a `UserId` cannot be passed where a `GoalId` is expected.
//!
//! On the wire every id is a lowercase hyphenated UUID string.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub Uuid);

        impl $name {
            /// Wraps a UUID.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The wrapped UUID.
            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    )*};
}

id_type!(
    /// Id of a user (a coach, a coachee or an administrator).
    UserId,
    /// Id of a user's role grant.
    UserRoleId,
    /// Id of an organization.
    OrganizationId,
    /// Id of a coaching relationship (one coach, one coachee).
    CoachingRelationshipId,
    /// Id of a coaching session.
    CoachingSessionId,
    /// Id of a recurring series of coaching sessions.
    CoachingSessionSeriesId,
    /// Id of an action.
    ActionId,
    /// Id of an agreement.
    AgreementId,
    /// Id of a note.
    NoteId,
    /// Id of a goal.
    GoalId,
    /// Id of the link between a coaching session and a goal.
    CoachingSessionGoalId,
    /// Id of an item of a person's inbox [extension].
    NotificationId,
    /// Id of a topic of a session's agenda.
    TopicId,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_hyphenated_strings() {
        let id: ActionId = serde_json::from_str("\"1B4E28BA-2FA1-11D2-883F-0016D3CCA427\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"1b4e28ba-2fa1-11d2-883f-0016d3cca427\"");
        assert_eq!(id.to_string(), "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    }

    #[test]
    fn a_malformed_id_is_an_error() {
        assert!(serde_json::from_str::<GoalId>("\"not-a-uuid\"").is_err());
        assert!("42".parse::<UserId>().is_err());
    }
}

//! Who may touch what: only the coach and the coachee of a relationship, and only while
//! they are members of its organization. Unknown ids answer 404, others' things 403.

use sqlx::SqlitePool;
use tandem_protocol::{CoachingRelationshipId, CoachingSession, CoachingSessionId, UserId};

use crate::db::coaching_sessions;
use crate::db::relationships::{self, Participants};
use crate::error::{Error, Result};

/// The participants of `relationship`, if `me` is one of them.
pub async fn relationship(db: &SqlitePool, me: UserId, relationship: CoachingRelationshipId) -> Result<Participants> {
    let participants = relationships::participants(db, relationship).await?.ok_or(Error::NotFound)?;
    if participants.includes(me) {
        Ok(participants)
    } else {
        Err(Error::Forbidden)
    }
}

/// A session and its participants, if `me` is one of them.
pub async fn session(
    db: &SqlitePool,
    me: UserId,
    session: CoachingSessionId,
) -> Result<(CoachingSession, Participants)> {
    let found = coaching_sessions::by_id(db, session).await?.ok_or(Error::NotFound)?;
    let participants = relationship(db, me, found.coaching_relationship_id).await?;
    Ok((found, participants))
}

/// Only the coach may do this (reschedule or delete a session).
pub fn require_coach(participants: &Participants, me: UserId) -> Result<()> {
    if participants.is_coach(me) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

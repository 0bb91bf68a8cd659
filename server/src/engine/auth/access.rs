//! Who may touch what: only the coach and the coachee of a relationship, and only while
//! they are members of its organization. Unknown ids answer 404, others' things 403.
//!
//! Reads check here; writes check inside their own transaction ([`super::super::write`]).

use tandem_protocol::{CoachingRelationshipId, CoachingSession, CoachingSessionId, UserId};

use super::super::db::relationships::{self, Participants};
use super::super::db::{coaching_sessions, Conn};
use crate::error::{Error, Result};

/// `participants` if `me` is one of them, else 403.
pub fn require_participant(participants: Participants, me: UserId) -> Result<Participants> {
    if participants.includes(me) {
        Ok(participants)
    } else {
        Err(Error::Forbidden)
    }
}

/// The participants of `relationship`, if `me` is one of them.
pub async fn relationship(db: &mut Conn, me: UserId, relationship: CoachingRelationshipId) -> Result<Participants> {
    let participants = relationships::participants(&mut *db, relationship).await?.ok_or(Error::NotFound)?;
    require_participant(participants, me)
}

/// A session and its participants, if `me` is one of them.
pub async fn session(db: &mut Conn, me: UserId, session: CoachingSessionId) -> Result<(CoachingSession, Participants)> {
    let found = coaching_sessions::by_id(&mut *db, session).await?.ok_or(Error::NotFound)?;
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

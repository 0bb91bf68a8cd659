//! A write, from its access check to the delivery of its events.
//!
//! Every write that people see live goes through [`Write`]: it opens the transaction, checks
//! inside it that the person takes part in the relationship (whose row then stays locked
//! until commit, so the checks that guard the write still hold when it lands), collects the
//! events the write causes, records them with their ids in the same transaction, commits,
//! and delivers them.

use chrono::Utc;
use tandem_protocol::{CoachingRelationshipId, CoachingSession, CoachingSessionId, Event, UserId};

use super::auth::access;
use super::db::relationships::{self, Participants};
use super::db::{coaching_sessions, Conn, Tx};
use super::{dialect, events, AppState};
use crate::error::{Error, Result};

/// A write in progress.
pub struct Write<'s> {
    state: &'s AppState,
    tx: Tx,
    participants: Participants,
    events: Vec<Event>,
    /// Events for one person only (their inbox).
    personal: Vec<(UserId, Event)>,
    /// Whether the write queued mail (the sender is woken after the commit).
    mail_queued: bool,
}

impl<'s> Write<'s> {
    /// Starts a write by `me` in `relationship`; 404 when it does not exist, 403 when `me`
    /// takes no part in it.
    pub async fn in_relationship(
        state: &'s AppState,
        me: UserId,
        relationship: CoachingRelationshipId,
    ) -> Result<Write<'s>> {
        let mut tx = dialect::begin_write(&state.db).await?;
        let participants =
            relationships::participants_for_write(&mut *tx, relationship).await?.ok_or(Error::NotFound)?;
        let participants = access::require_participant(participants, me)?;
        Ok(Write { state, tx, participants, events: Vec::new(), personal: Vec::new(), mail_queued: false })
    }

    /// Starts a write the server makes on its own (forgetting a page that went quiet, say) in
    /// `relationship`; `None` when it no longer exists.
    pub async fn by_server(state: &'s AppState, relationship: CoachingRelationshipId) -> Result<Option<Write<'s>>> {
        let mut tx = dialect::begin_write(&state.db).await?;
        let Some(participants) = relationships::participants_for_write(&mut *tx, relationship).await? else {
            return Ok(None);
        };
        Ok(Some(Write { state, tx, participants, events: Vec::new(), personal: Vec::new(), mail_queued: false }))
    }

    /// Starts a write by `me` in `session`'s relationship, and reads the session inside it.
    pub async fn in_session(
        state: &'s AppState,
        me: UserId,
        session: CoachingSessionId,
    ) -> Result<(Write<'s>, CoachingSession)> {
        // A session never changes relationship, so its relationship can be read first.
        let relationship =
            coaching_sessions::by_id(&state.db, session).await?.ok_or(Error::NotFound)?.coaching_relationship_id;
        let mut write = Write::in_relationship(state, me, relationship).await?;
        let found = coaching_sessions::by_id(write.db(), session).await?.ok_or(Error::NotFound)?;
        Ok((write, found))
    }

    /// The server's state.
    pub fn state(&self) -> &'s AppState {
        self.state
    }

    /// The relationship's coach and coachee.
    pub fn participants(&self) -> &Participants {
        &self.participants
    }

    /// The transaction's connection.
    pub fn db(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// Queues an event for the relationship's participants, sent if the write commits.
    pub fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Queues an event for `person` alone (one of the participants), sent if the write commits.
    pub fn emit_to(&mut self, person: UserId, event: Event) {
        self.personal.push((person, event));
    }

    /// Notes that the write queued mail, so the sender looks once it commits.
    pub fn queued_mail(&mut self) {
        self.mail_queued = true;
    }

    /// Records the events, commits, and delivers them. The commit and the delivery run as a
    /// task of their own: a request dropped meanwhile (its client left, or its time ran out)
    /// cannot leave a committed write without its delivery.
    pub async fn commit(mut self) -> Result<()> {
        let recipients = self.participants.recipients();
        let now = Utc::now();
        let mut recorded = events::record(&mut self.tx, &recipients, &self.events, now).await?;
        for (person, event) in std::mem::take(&mut self.personal) {
            if recipients.contains(&person) {
                recorded.extend(events::record(&mut self.tx, &[person], std::slice::from_ref(&event), now).await?);
            }
        }
        land(self.state, self.tx, recorded).await?;
        if self.mail_queued {
            super::mailer::wake(self.state);
        }
        Ok(())
    }
}

/// A write whose events go to people named one by one (administering an organization's
/// members, a person's profile) rather than to one relationship's coach and coachee.
pub struct PeopleWrite<'s> {
    state: &'s AppState,
    tx: Tx,
    events: Vec<(Vec<UserId>, Event)>,
}

impl<'s> PeopleWrite<'s> {
    /// Starts the write's transaction.
    pub async fn begin(state: &'s AppState) -> Result<PeopleWrite<'s>> {
        let tx = dialect::begin_write(&state.db).await?;
        Ok(PeopleWrite { state, tx, events: Vec::new() })
    }

    /// The transaction's connection.
    pub fn db(&mut self) -> &mut Conn {
        &mut self.tx
    }

    /// Queues an event for `people`, sent if the write commits.
    pub fn emit_to(&mut self, people: Vec<UserId>, event: Event) {
        self.events.push((people, event));
    }

    /// Records the events, commits, and delivers them (as [`Write::commit`]).
    pub async fn commit(mut self) -> Result<()> {
        let now = Utc::now();
        let mut recorded = Vec::with_capacity(self.events.len());
        for (people, event) in std::mem::take(&mut self.events) {
            recorded.extend(events::record(&mut self.tx, &people, std::slice::from_ref(&event), now).await?);
        }
        land(self.state, self.tx, recorded).await
    }
}

/// Commits `tx` and delivers its recorded events, in a task of its own.
async fn land(state: &AppState, tx: Tx, recorded: Vec<events::Recorded>) -> Result<()> {
    let (hub, commit_order) = (state.hub.clone(), state.commit_order.clone());
    let landing = tokio::spawn(async move {
        if dialect::SHARED {
            // Every instance, this one too, delivers from the notification that goes
            // out with the commit, in commit order.
            tx.commit().await
        } else {
            // Writes take turns on SQLite, so ids follow commit order; delivering in the
            // same turn keeps the streams in that order too.
            let _turn = commit_order.lock().await;
            tx.commit().await?;
            for event in &recorded {
                event.deliver(&hub);
            }
            Ok(())
        }
    });
    landing.await.map_err(|e| Error::Internal(format!("the commit task failed: {e}")))??;
    Ok(())
}

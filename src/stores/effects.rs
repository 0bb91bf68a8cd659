//! From events to the cache: the one table, [`of_event`], says for every event type what it
//! writes into the cache, what it removes and what it makes stale. The SSE agent applies
//! each event through it, and so does every successful write of this tab (its answer changes
//! the cache exactly as the event the server sends for it will): there is no other path.
//!
//! Where a written entity lands is decided per resource by [`super::merge`]; it replaces what
//! is cached only if it is not older, otherwise the entry is revalidated.

use tandem_protocol::{Event, SessionChanged, SessionRetitled};

use super::cache::{CacheAction, CacheStore};
use super::change::{Effect, Entity, Removed, Scope};
use super::dispatch;

/// The table. Reference-only events (recordings, transcriptions) touch nothing this
/// app shows; `force_logout` is the agent's to handle.
pub fn of_event(event: &Event) -> Vec<Effect> {
    use Effect::{Remove, Revalidate, Write};
    match event {
        Event::ActionCreated(e) | Event::ActionUpdated(e) => {
            vec![Write(Box::new(Entity::Action(e.action.clone()))), Revalidate(Scope::UserActions)]
        }
        Event::ActionDeleted(e) => vec![
            Remove(Removed::Action { session: e.coaching_session_id, id: e.action_id }),
            Revalidate(Scope::UserActions),
        ],
        Event::AgreementCreated(e) | Event::AgreementUpdated(e) => {
            vec![Write(Box::new(Entity::Agreement(e.agreement.clone())))]
        }
        Event::AgreementDeleted(e) => {
            vec![Remove(Removed::Agreement { session: e.coaching_session_id, id: e.agreement_id })]
        }
        Event::GoalCreated(e) | Event::GoalUpdated(e) => vec![Write(Box::new(Entity::Goal(e.goal.clone())))],
        Event::GoalDeleted(e) => {
            vec![Remove(Removed::Goal { relationship: e.coaching_relationship_id, id: e.goal_id })]
        }
        // Linking may also have put the goal in progress: its lists are fetched again.
        Event::CoachingSessionGoalCreated(e) => vec![
            Revalidate(Scope::SessionGoals(e.coaching_session_id)),
            Revalidate(Scope::RelationshipGoals(e.coaching_relationship_id)),
        ],
        Event::CoachingSessionGoalDeleted(e) => {
            vec![Remove(Removed::GoalLink { session: e.coaching_session_id, goal: e.goal_id })]
        }
        Event::CoachingSessionTitleUpdated(SessionRetitled { coaching_session: Some(session), .. }) => {
            vec![Write(Box::new(Entity::Session(session.clone())))]
        }
        Event::CoachingSessionTitleUpdated(SessionRetitled { coaching_session_id, coaching_session: None }) => {
            vec![
                Revalidate(Scope::Session(*coaching_session_id)),
                Revalidate(Scope::ListsHolding(*coaching_session_id)),
            ]
        }
        Event::CoachingSessionCreated(SessionChanged { coaching_session: Some(session), .. })
        | Event::CoachingSessionUpdated(SessionChanged { coaching_session: Some(session), .. }) => {
            vec![Write(Box::new(Entity::Session(session.clone())))]
        }
        Event::CoachingSessionCreated(e) | Event::CoachingSessionUpdated(e) => vec![
            Revalidate(Scope::Session(e.coaching_session_id)),
            Revalidate(Scope::RelationshipSessions(e.coaching_relationship_id)),
        ],
        // The session's own entry is fetched again, so its page says it is gone.
        Event::CoachingSessionDeleted(e) => vec![
            Remove(Removed::Session { relationship: e.coaching_relationship_id, id: e.coaching_session_id }),
            Revalidate(Scope::Session(e.coaching_session_id)),
        ],
        Event::NoteCreated(e) | Event::NoteUpdated(e) => vec![Write(Box::new(Entity::Note(e.note.clone())))],
        Event::CoachingSessionPresenceChanged(e) => vec![Write(Box::new(Entity::Presence(e.clone())))],
        // A replica of the notes and its carets, not cache entries: `live_notes` merges them.
        Event::NoteDocumentUpdated(_) | Event::NoteAwarenessUpdated(_) => Vec::new(),
        // The member's own list of organizations may have gained or lost one (only the
        // signed-in person's is ever cached). A change of the signed-in person's own role or
        // name also refreshes their profile: `crate::session::on_event`.
        Event::OrganizationMemberChanged(e) => vec![
            Write(Box::new(Entity::Member { organization: e.organization_id, user: e.user.clone() })),
            Revalidate(Scope::OrganizationsOf(e.user.id)),
        ],
        Event::OrganizationMemberRemoved(e) => vec![
            Remove(Removed::Member { organization: e.organization_id, user: e.user_id }),
            Revalidate(Scope::OrganizationsOf(e.user_id)),
        ],
        Event::CoachingRelationshipCreated(e) => vec![Write(Box::new(Entity::Relationship {
            organization: e.organization_id,
            relationship: e.coaching_relationship.clone(),
        }))],
        Event::CoachingRelationshipDeleted(e) => {
            vec![Remove(Removed::Relationship { organization: e.organization_id, id: e.coaching_relationship_id })]
        }
        Event::UserUpdated(e) => vec![Write(Box::new(Entity::Names(e.clone())))],
        // Sent to the inbox's owner only: a new item on top, or items read in some tab.
        Event::NotificationCreated(e) => vec![Write(Box::new(Entity::Notification(e.notification.clone())))],
        Event::NotificationsRead(e) => vec![Write(Box::new(Entity::NotificationsRead(e.clone())))],
        Event::Resync(_) => vec![Revalidate(Scope::Everything)],
        Event::TopicCreated(e) | Event::TopicUpdated(e) => vec![Write(Box::new(Entity::Topic(e.topic.clone())))],
        Event::TopicDeleted(e) => vec![Remove(Removed::Topic { session: e.coaching_session_id, id: e.topic_id })],
        Event::TopicsReordered(e) => {
            vec![Write(Box::new(Entity::TopicOrder { session: e.coaching_session_id, ids: e.ordered_ids.clone() }))]
        }
        // The reference's only topic event says which agenda changed, not how.
        Event::TopicsChanged(e) => vec![Revalidate(Scope::Topics(e.coaching_session_id))],
        Event::MeetingRecordingUpdated(_) | Event::TranscriptionUpdated(_) | Event::ForceLogout(_) => Vec::new(),
    }
}

/// Brings the cache up to date with one event, through the table.
pub fn apply_event(event: &Event) {
    apply(of_event(event));
}

/// Applies effects to the cache, all at once.
pub fn apply(effects: Vec<Effect>) {
    if !effects.is_empty() {
        dispatch::<CacheStore>().apply(CacheAction::Apply(effects));
    }
}

/// Marks everything stale: on screen it is fetched again, the rest when next shown.
pub fn revalidate_everything() {
    apply(vec![Effect::Revalidate(Scope::Everything)]);
}

#[cfg(test)]
mod tests;

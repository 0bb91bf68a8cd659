//! `/coaching_sessions/{id}/topics`: a session's agenda (reference routes, `reference-api.md`
//! 3.4). Both people add, edit, reorder and set the status; only the coachee rates; the coachee
//! deletes their own topics, the coach any. Every change goes out as an entity-carrying event
//! [extension]; edits based on an old version are refused with 409 like other entities.

use axum::extract::State;
use axum::routing::{get, patch, post};
use axum::Router;
use chrono::{DateTime, Utc};
use tandem_protocol::{
    CoachingSession, CoachingSessionId, Envelope, Event, NewTopic, NotificationKind, Topic, TopicChanged, TopicDeleted,
    TopicEdit, TopicId, TopicRating, TopicStatus, TopicStatusChange, TopicsReorder, TopicsReordered, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::topics::{self, Move, StoredTopic, TopicField};
use super::super::db::{users, Updated};
use super::super::notify;
use super::super::state::AppState;
use super::super::write::Write;
use super::precondition::{written, IfMatch};
use super::{validate, Json, Path};
use crate::error::{Error, Result};

/// Longest topic.
pub const TOPIC_MAX: usize = 1_000;
/// Most topics on one agenda.
pub const TOPICS_PER_SESSION: usize = 100;

pub fn router() -> Router<AppState> {
    let base = "/coaching_sessions/{session}/topics";
    Router::new()
        .route(base, get(list).post(create))
        .route(&format!("{base}/reorder"), patch(reorder))
        .route(&format!("{base}/{{topic}}"), get(read).put(edit).delete(remove))
        .route(&format!("{base}/{{topic}}/rating"), patch(rate))
        .route(&format!("{base}/{{topic}}/status"), patch(set_status))
        .route(&format!("{base}/{{topic}}/undo"), post(undo))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
) -> Result<Json<Envelope<Vec<Topic>>>> {
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, session).await?;
    Ok(Json(Envelope::ok(topics::of_session(&mut *db, session).await?)))
}

/// One topic [extension: the reference reads only the whole agenda].
async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((session, id)): Path<(CoachingSessionId, TopicId)>,
) -> Result<Json<Envelope<Topic>>> {
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, session).await?;
    match topics::by_id(&mut db, id).await? {
        Some(stored) if stored.deleted_at.is_none() && stored.topic.coaching_session_id == session => {
            Ok(Json(Envelope::ok(stored.topic)))
        }
        _ => Err(Error::NotFound),
    }
}

fn created(topic: &Topic) -> Event {
    Event::TopicCreated(TopicChanged { coaching_session_id: topic.coaching_session_id, topic: topic.clone() })
}

fn updated(topic: &Topic) -> Event {
    Event::TopicUpdated(TopicChanged { coaching_session_id: topic.coaching_session_id, topic: topic.clone() })
}

fn deleted(session: CoachingSessionId, topic: TopicId) -> Event {
    Event::TopicDeleted(TopicDeleted { coaching_session_id: session, topic_id: topic })
}

/// Whether the session's day is over for `me` (in their zone): its agenda takes no new topics.
async fn day_is_over(write: &mut Write<'_>, me: UserId, session: &CoachingSession, now: DateTime<Utc>) -> Result<bool> {
    let zone = users::by_id_in(write.db(), me).await?.map(|user| user.timezone).unwrap_or_default();
    let tz = zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    let session_day = session.date.and_utc().with_timezone(&tz).date_naive();
    Ok(now.with_timezone(&tz).date_naive() > session_day)
}

/// A topic's body: required, trimmed, at most [`TOPIC_MAX`] characters.
fn body(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::validation("A topic needs some text."));
    }
    Ok(validate::text("topic", Some(text), TOPIC_MAX)?.unwrap_or(text))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Json(input): Json<NewTopic>,
) -> Result<Json<Envelope<Topic>>> {
    let (mut write, found) = Write::in_session(&state, me.id, session).await?;
    let text = body(&input.body)?;
    if input.priority.is_some() && write.participants().is_coach(me.id) {
        return Err(Error::ForbiddenBecause("Only the coachee sets a topic's priority.".into()));
    }
    let now = Utc::now();
    if day_is_over(&mut write, me.id, &found, now).await? {
        return Err(Error::Conflict {
            message: "This session's day is over: add the topic to the next session.".into(),
            details: None,
        });
    }
    let count = topics::count_in_session(write.db(), session).await?;
    validate::quota("topics", "session", count, TOPICS_PER_SESSION)?;
    let id = topics::insert(write.db(), session, me.id, text, input.priority, now).await?;
    let topic = live_topic(&mut write, session, id).await?;
    write.emit(created(&topic));
    notify::added_to_session(&mut write, NotificationKind::TopicAdded, text, session, me.id).await?;
    write.commit().await?;
    Ok(Json(Envelope::created(topic)))
}

/// A write on the session, with one of its topics as it is inside it (deleted ones too); 404
/// when the topic is not on this session's agenda.
async fn write_on(
    state: &AppState,
    me: UserId,
    session: CoachingSessionId,
    id: TopicId,
) -> Result<(Write<'_>, CoachingSession, StoredTopic)> {
    let (mut write, found) = Write::in_session(state, me, session).await?;
    let topic = topics::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    if topic.topic.coaching_session_id != session {
        return Err(Error::NotFound);
    }
    Ok((write, found, topic))
}

/// The topic as it now is, if on `session`'s agenda and not deleted.
async fn live_topic(write: &mut Write<'_>, session: CoachingSessionId, id: TopicId) -> Result<Topic> {
    match topics::by_id(write.db(), id).await? {
        Some(stored) if stored.deleted_at.is_none() && stored.topic.coaching_session_id == session => Ok(stored.topic),
        _ => Err(Error::NotFound),
    }
}

/// Changes one field of a topic (not a deleted one), refusing an edit based on an old version.
async fn change(
    state: &AppState,
    me: UserId,
    (session, id): (CoachingSessionId, TopicId),
    if_match: IfMatch,
    field: TopicField<'_>,
) -> Result<Json<Envelope<Topic>>> {
    let (mut write, _, current) = write_on(state, me, session, id).await?;
    if current.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    if matches!(field, TopicField::Priority(_)) && write.participants().is_coach(me) {
        return Err(Error::ForbiddenBecause("Only the coachee sets a topic's priority.".into()));
    }
    written(topics::update(write.db(), id, field, if_match.edit(me)).await?, &current.topic)?;
    let topic = live_topic(&mut write, session, id).await?;
    write.emit(updated(&topic));
    write.commit().await?;
    Ok(Json(Envelope::ok(topic)))
}

async fn edit(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(CoachingSessionId, TopicId)>,
    if_match: IfMatch,
    Json(input): Json<TopicEdit>,
) -> Result<Json<Envelope<Topic>>> {
    let text = body(&input.body)?;
    change(&state, me.id, ids, if_match, TopicField::Body(text)).await
}

async fn rate(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(ids): Path<(CoachingSessionId, TopicId)>,
    if_match: IfMatch,
    Json(input): Json<TopicRating>,
) -> Result<Json<Envelope<Topic>>> {
    change(&state, me.id, ids, if_match, TopicField::Priority(input.priority)).await
}

async fn set_status(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((session, id)): Path<(CoachingSessionId, TopicId)>,
    if_match: IfMatch,
    Json(input): Json<TopicStatusChange>,
) -> Result<Json<Envelope<Topic>>> {
    if input.status != TopicStatus::Deferred {
        return change(&state, me.id, (session, id), if_match, TopicField::Status(input.status)).await;
    }
    let (mut write, found, current) = write_on(&state, me.id, session, id).await?;
    if current.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    if if_match.0.is_some_and(|version| version != current.topic.updated_at) {
        let changed_by = Some(current.updated_by.unwrap_or(current.topic.user_id));
        written(Updated::Stale { changed_by }, &current.topic)?;
    }
    let next = topics::next_session(write.db(), found.coaching_relationship_id, session).await?.ok_or_else(|| {
        Error::Conflict {
            message: "There is no later session to move this topic to: schedule the next session first.".into(),
            details: None,
        }
    })?;
    let to = Move {
        to: next,
        status: TopicStatus::Open,
        moved_from: Some(session),
        status_before_move: Some(current.topic.status),
    };
    topics::move_to(write.db(), id, to, me.id, Utc::now()).await?;
    let topic = live_topic(&mut write, next, id).await?;
    write.emit(deleted(session, id));
    write.emit(created(&topic));
    write.commit().await?;
    Ok(Json(Envelope::ok(topic)))
}

/// The coachee deletes their own topics; the coach any.
fn may_delete(write: &Write<'_>, me: UserId, topic: &Topic) -> Result<()> {
    if write.participants().is_coach(me) || topic.user_id == me {
        Ok(())
    } else {
        Err(Error::ForbiddenBecause("A coachee can delete only the topics they added.".into()))
    }
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((session, id)): Path<(CoachingSessionId, TopicId)>,
) -> Result<Json<Envelope<Topic>>> {
    let (mut write, _, current) = write_on(&state, me.id, session, id).await?;
    if current.deleted_at.is_some() {
        return Err(Error::NotFound);
    }
    may_delete(&write, me.id, &current.topic)?;
    let now = Utc::now();
    topics::set_deleted(write.db(), id, Some(now), me.id, now).await?;
    write.emit(deleted(session, id));
    write.commit().await?;
    Ok(Json(Envelope::ok(current.topic)))
}

/// Undoes a topic's delete (brings it back where it was) or its deferral (moves it back to
/// the session it came from, with the status it had there).
async fn undo(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((session, id)): Path<(CoachingSessionId, TopicId)>,
) -> Result<Json<Envelope<Topic>>> {
    let (mut write, _, current) = write_on(&state, me.id, session, id).await?;
    let now = Utc::now();
    let topic = if current.deleted_at.is_some() {
        may_delete(&write, me.id, &current.topic)?;
        topics::set_deleted(write.db(), id, None, me.id, now).await?;
        let topic = live_topic(&mut write, session, id).await?;
        write.emit(created(&topic));
        topic
    } else if let Some(from) = current.topic.moved_from_session_id {
        let back = Move {
            to: from,
            status: current.status_before_move.unwrap_or_default(),
            moved_from: None,
            status_before_move: None,
        };
        topics::move_to(write.db(), id, back, me.id, now).await?;
        let topic = live_topic(&mut write, from, id).await?;
        write.emit(deleted(session, id));
        write.emit(created(&topic));
        topic
    } else {
        return Err(Error::Conflict { message: "There is nothing to undo for this topic.".into(), details: None });
    };
    write.commit().await?;
    Ok(Json(Envelope::ok(topic)))
}

async fn reorder(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Json(input): Json<TopicsReorder>,
) -> Result<Json<Envelope<Vec<Topic>>>> {
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    let current = topics::of_session(write.db(), session).await?;
    let mut wanted = input.ordered_ids.clone();
    wanted.sort_unstable();
    let mut have: Vec<TopicId> = current.iter().map(|topic| topic.id).collect();
    have.sort_unstable();
    if wanted != have {
        return Err(Error::validation(
            "The new order must name every topic of this session once, and no other: reload the agenda and try again.",
        ));
    }
    topics::reorder(write.db(), session, &input.ordered_ids).await?;
    let ordered = topics::of_session(write.db(), session).await?;
    write.emit(Event::TopicsReordered(TopicsReordered {
        coaching_session_id: session,
        ordered_ids: input.ordered_ids,
    }));
    write.commit().await?;
    Ok(Json(Envelope::ok(ordered)))
}

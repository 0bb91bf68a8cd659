//! `/notes`: list per session, create, read, edit.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{Envelope, Event, Note, NoteChanged, NoteId, NoteInput, SessionItemsQuery, UserId};

use super::{session_texts as writes, validate, Json, Path, Query};
use crate::auth::{access, CurrentUser};
use crate::db::relationships::Participants;
use crate::db::session_texts;
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/notes", get(list).post(create)).route("/notes/{id}", get(read).put(edit))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<SessionItemsQuery>,
) -> Result<Json<Envelope<Vec<Note>>>> {
    access::session(&state.db, me.id, query.coaching_session_id).await?;
    Ok(Json(Envelope::ok(session_texts::of_session::<Note>(&state.db, query.coaching_session_id).await?)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<NoteInput>,
) -> Result<Json<Envelope<Note>>> {
    let (_, participants) = access::session(&state.db, me.id, input.coaching_session_id).await?;
    let body = validate::text("note", input.body.as_deref(), validate::NOTE_MAX)?;
    let note: Note = writes::create_within_quota(
        &state.db,
        input.coaching_session_id,
        me.id,
        body,
        ("notes", validate::NOTES_PER_SESSION),
    )
    .await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::NoteCreated(NoteChanged { coaching_session_id: note.coaching_session_id, note: note.clone() }),
    );
    Ok(Json(Envelope::created(note)))
}

async fn find(state: &AppState, me: UserId, id: NoteId) -> Result<(Note, Participants)> {
    let note = session_texts::by_id::<Note>(&state.db, &id).await?.ok_or(Error::NotFound)?;
    let (_, participants) = access::session(&state.db, me, note.coaching_session_id).await?;
    Ok((note, participants))
}

async fn read(State(state): State<AppState>, me: CurrentUser, Path(id): Path<NoteId>) -> Result<Json<Envelope<Note>>> {
    Ok(Json(Envelope::ok(find(&state, me.id, id).await?.0)))
}

async fn edit(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<NoteId>,
    Json(input): Json<NoteInput>,
) -> Result<Json<Envelope<Note>>> {
    let (current, participants) = find(&state, me.id, id).await?;
    if input.coaching_session_id != current.coaching_session_id {
        return Err(Error::validation("A note cannot be moved to another coaching session."));
    }
    let body = validate::text("note", input.body.as_deref(), validate::NOTE_MAX)?;
    if !session_texts::update::<Note>(&state.db, &id, body, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let note = session_texts::by_id::<Note>(&state.db, &id).await?.ok_or(Error::NotFound)?;
    state.hub.publish(
        &participants.recipients(),
        &Event::NoteUpdated(NoteChanged { coaching_session_id: note.coaching_session_id, note: note.clone() }),
    );
    Ok(Json(Envelope::ok(note)))
}

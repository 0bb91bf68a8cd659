//! `/coaching_sessions/{id}/notes/awareness` [extension]: where each person's caret is in
//! the rich notes, passed to both participants as `note_awareness_updated`.
//!
//! A page sends its own awareness entry (y-protocols' format) as its caret moves, at most
//! about ten times a second, again every 15 s while it stays, and `null` as it closes. The
//! server reads it by hand (`notes::awareness`) and passes it on with the sender's name and
//! colour, through the recorded events like every change, so every instance delivers it and
//! only the participants receive it. Nothing is stored beyond the event: a caret not renewed
//! for 30 s goes from the other screen by itself (the receiving page times it out), which is
//! how a vanished browser's caret goes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use tandem_protocol::{CoachingSessionId, Event, NoteAwarenessPush, NoteAwarenessUpdated};

use super::super::auth::CurrentUser;
use super::super::db::users;
use super::super::state::AppState;
use super::super::write::Write;
use super::{Json, Path};
use crate::error::{Error, Result};
use crate::notes::awareness::{self, COLORS};
use crate::notes::crdt;

pub fn router() -> Router<AppState> {
    Router::new().route("/coaching_sessions/{id}/notes/awareness", post(push))
}

async fn push(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Json(push): Json<NoteAwarenessPush>,
) -> Result<StatusCode> {
    let refused = |why: String| Error::validation(format!("The caret was refused: {why}."));
    let bytes = crdt::from_base64(&push.update).map_err(|e| refused(e.to_string()))?;
    let entry = awareness::read(&bytes).map_err(|e| refused(e.to_string()))?;
    state.limits.carets.take(&me.id).map_err(|wait| {
        crate::telemetry::throttled("carets");
        Error::too_many("Carets are moving faster than the server passes them on.", wait)
    })?;
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    let color = if write.participants().coach_id == me.id { COLORS[0] } else { COLORS[1] };
    let person = users::by_id_in(write.db(), me.id).await?.ok_or(Error::NotFound)?;
    let name = format!("{} {}", person.first_name, person.last_name);
    write.emit(Event::NoteAwarenessUpdated(NoteAwarenessUpdated {
        coaching_session_id: session,
        user_id: me.id,
        update: Some(crdt::to_base64(&entry.write(name.trim(), color))),
    }));
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

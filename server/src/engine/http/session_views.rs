//! `POST /coaching_sessions/{id}/view`: a participant opens a session. Answers when they had
//! opened it before, and [extension] what the other person changed since then, so the page can
//! mark it "new".

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use chrono::{SubsecRound, Utc};
use tandem_protocol::{CoachingSessionId, Envelope, MarkViewed};

use super::super::dialect;
use super::super::auth::{access, CurrentUser};
use super::super::db::session_views;
use super::super::state::AppState;
use super::{Json, Path};
use crate::error::Result;

pub fn router() -> Router<AppState> {
    Router::new().route("/coaching_sessions/{session}/view", post(view))
}

async fn view(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
) -> Result<Json<Envelope<MarkViewed>>> {
    let mut tx = dialect::begin_write(&state.db).await?;
    access::session(&mut tx, me.id, session).await?;
    // Microseconds, as PostgreSQL keeps them: the answer says what was stored.
    let now = Utc::now().trunc_subsecs(6);
    let previous = session_views::record(&mut tx, session, me.id, now).await?;
    let changed_by_others = match previous {
        Some(since) => Some(session_views::changed_since(&mut tx, session, me.id, since).await?),
        None => None,
    };
    tx.commit().await?;
    Ok(Json(Envelope::ok(MarkViewed { previous_last_viewed_at: previous, last_viewed_at: now, changed_by_others })))
}

//! `/coaching_sessions/{id}/presence` [extension]: who has the session's page open.
//!
//! Each open page says so every few seconds (`PUT`, with a name it chose for itself) and
//! goodbye when it closes (`DELETE`); a page that stops saying so is forgotten by
//! [`sweep`] once its time runs out. Whenever the set of people present changes, both
//! participants get `coaching_session_presence_changed`, through the same recorded events as
//! every change, so every instance delivers it and nobody else ever receives it.

use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{CoachingSessionId, Envelope, Event, PresenceTab, SessionPresence};

use super::super::auth::{access, CurrentUser};
use super::super::db::{coaching_sessions, presence};
use super::super::state::AppState;
use super::super::write::Write;
use super::{Json, Path, Query};
use crate::error::{Error, Result};

/// Longest name a page may give itself.
const TAB_MAX: usize = 64;

pub fn router() -> Router<AppState> {
    Router::new().route("/coaching_sessions/{id}/presence", get(read).put(hold).delete(release))
}

fn checked(tab: &PresenceTab) -> Result<&str> {
    let name = tab.tab.trim();
    if name.is_empty() || name.len() > TAB_MAX {
        return Err(Error::validation(format!("tab: a name of 1 to {TAB_MAX} characters")));
    }
    Ok(name)
}

fn ttl(state: &AppState) -> chrono::Duration {
    chrono::Duration::seconds(i64::try_from(state.config.presence_ttl_secs.clamp(1, 3600)).unwrap_or(20))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
) -> Result<Json<Envelope<SessionPresence>>> {
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, session).await?;
    let present = presence::present(&mut *db, session).await?;
    Ok(Json(Envelope::ok(SessionPresence { coaching_session_id: session, present, ttl_secs: ttl_secs(&state) })))
}

/// Who is present, inside a write.
async fn present_in(write: &mut Write<'_>, session: CoachingSessionId) -> Result<SessionPresence> {
    let present = presence::present(write.db(), session).await?;
    let ttl_secs = ttl_secs(write.state());
    Ok(SessionPresence { coaching_session_id: session, present, ttl_secs })
}

/// The page time, told to pages only when it is not the usual one.
fn ttl_secs(state: &AppState) -> Option<u64> {
    (state.config.presence_ttl_secs != tandem_protocol::PRESENCE_TTL_SECS).then_some(state.config.presence_ttl_secs)
}

async fn hold(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Json(tab): Json<PresenceTab>,
) -> Result<Json<Envelope<SessionPresence>>> {
    let name = checked(&tab)?;
    let expires = Utc::now() + ttl(&state);
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    let before = present_in(&mut write, session).await?;
    presence::hold(write.db(), session, me.id, name, expires).await?;
    announce(write, session, before).await
}

async fn release(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Query(tab): Query<PresenceTab>,
) -> Result<Json<Envelope<SessionPresence>>> {
    let name = checked(&tab)?;
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    let before = present_in(&mut write, session).await?;
    presence::release(write.db(), session, me.id, name).await?;
    announce(write, session, before).await
}

/// Tells the participants who is present when that changed from `before`, and commits.
async fn announce(
    mut write: Write<'_>,
    session: CoachingSessionId,
    before: SessionPresence,
) -> Result<Json<Envelope<SessionPresence>>> {
    let after = present_in(&mut write, session).await?;
    if after != before {
        write.emit(Event::CoachingSessionPresenceChanged(after.clone()));
    }
    write.commit().await?;
    Ok(Json(Envelope::ok(after)))
}

/// How often quiet pages are looked for: a page is gone at most this long after its time
/// ran out (5 s, or the time itself when shorter).
pub fn sweep_every(state: &AppState) -> Duration {
    Duration::from_secs(state.config.presence_ttl_secs.clamp(1, 5))
}

/// Forgets the pages whose time ran out, and tells the participants of each session whose
/// set of people present changed. Each session is swept inside a write of its own, so two
/// instances sweeping at once announce each change once.
pub async fn sweep(state: &AppState) -> Result<()> {
    let now = Utc::now();
    for session in presence::sessions_with_expired(&state.db, now).await? {
        let Some(found) = coaching_sessions::by_id(&state.db, session).await? else { continue };
        let Some(mut write) = Write::by_server(state, found.coaching_relationship_id).await? else { continue };
        let before = present_in(&mut write, session).await?;
        presence::forget_expired(write.db(), session, now).await?;
        let after = present_in(&mut write, session).await?;
        if after != before {
            write.emit(Event::CoachingSessionPresenceChanged(after));
        }
        write.commit().await?;
    }
    Ok(())
}

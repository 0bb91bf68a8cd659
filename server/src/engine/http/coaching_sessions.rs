//! `/coaching_sessions`: list, read, create, reschedule (coach), delete (coach), retitle.

use axum::extract::State;
use axum::routing::{get, patch};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingSession, CoachingSessionId, CoachingSessionsQuery, Envelope, Event, NewCoachingSession, SessionChanged,
    SessionRetitled, SortOrder, TitleUpdate, UpdateCoachingSession,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::coaching_sessions::{self, SessionFields};
use super::super::db::users;
use super::super::notify;
use super::super::state::AppState;
use super::super::write::Write;
use super::precondition::{written, IfMatch};
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/coaching_sessions", get(list).post(create))
        .route("/coaching_sessions/{id}", get(read).put(update).delete(remove))
        .route("/coaching_sessions/{id}/title", patch(retitle))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<CoachingSessionsQuery>,
) -> Result<Json<Envelope<Vec<CoachingSession>>>> {
    let mut db = state.db.acquire().await?;
    access::relationship(&mut db, me.id, query.coaching_relationship_id).await?;
    if query.to_date < query.from_date {
        return Err(Error::validation("to_date must not be before from_date."));
    }
    let descending = query.sort_order == Some(SortOrder::Desc);
    let sessions =
        coaching_sessions::list(&mut *db, query.coaching_relationship_id, query.from_date, query.to_date, descending)
            .await?;
    Ok(Json(Envelope::ok(sessions)))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let (session, _) = access::session(&mut *state.db.acquire().await?, me.id, id).await?;
    Ok(Json(Envelope::ok(session)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<NewCoachingSession>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let duration = match input.duration_minutes {
        Some(minutes) => minutes,
        None => users::by_id(&state.db, me.id)
            .await?
            .map_or(60, |stored| stored.user.default_coaching_session_duration_minutes),
    };
    let fields = SessionFields {
        date: input.date,
        duration_minutes: validate::duration(duration)?,
        title: validate::title("title", input.title.as_deref())?,
        meeting_url: validate::meeting_url(input.meeting_url.as_deref())?,
        provider: input.provider,
    };
    let mut write = Write::in_relationship(&state, me.id, input.coaching_relationship_id).await?;
    let relationship = write.participants().relationship_id;
    let count = coaching_sessions::count_in_relationship(write.db(), relationship).await?;
    validate::quota("sessions", "coaching relationship", count, validate::SESSIONS_PER_RELATIONSHIP)?;
    let id = coaching_sessions::insert(write.db(), relationship, &fields, Utc::now()).await?;
    let session = coaching_sessions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::CoachingSessionCreated(SessionChanged {
        coaching_relationship_id: relationship,
        coaching_session_id: id,
        coaching_session: Some(session.clone()),
    }));
    notify::session_scheduled(&mut write, &session, me.id).await?;
    write.commit().await?;
    Ok(Json(Envelope::created(session)))
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    if_match: IfMatch,
    Json(input): Json<UpdateCoachingSession>,
) -> Result<Json<Envelope<Option<()>>>> {
    let (mut write, session) = Write::in_session(&state, me.id, id).await?;
    access::require_coach(write.participants(), me.id)?;
    let fields = SessionFields {
        date: input.date,
        duration_minutes: validate::duration(input.duration_minutes.unwrap_or(session.duration_minutes))?,
        title: validate::title("title", input.title.as_deref())?,
        meeting_url: validate::meeting_url(input.meeting_url.as_deref())?,
        provider: input.provider,
    };
    written(coaching_sessions::update(write.db(), id, &fields, if_match.edit(me.id)).await?, &session)?;
    let updated = coaching_sessions::by_id(write.db(), id).await?;
    if let Some(after) = &updated {
        notify::session_changed(&mut write, &session, after, me.id).await?;
    }
    write.emit(Event::CoachingSessionUpdated(SessionChanged {
        coaching_relationship_id: session.coaching_relationship_id,
        coaching_session_id: id,
        coaching_session: updated,
    }));
    write.commit().await?;
    Ok(Json(Envelope::no_content()))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
) -> Result<Json<Envelope<Option<()>>>> {
    let (mut write, session) = Write::in_session(&state, me.id, id).await?;
    access::require_coach(write.participants(), me.id)?;
    if !coaching_sessions::delete(write.db(), id).await? {
        return Err(Error::NotFound);
    }
    write.emit(Event::CoachingSessionDeleted(SessionChanged {
        coaching_relationship_id: session.coaching_relationship_id,
        coaching_session_id: id,
        coaching_session: None,
    }));
    notify::session_cancelled(&mut write, &session, me.id).await?;
    write.commit().await?;
    Ok(Json(Envelope::no_content()))
}

async fn retitle(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    if_match: IfMatch,
    Json(input): Json<TitleUpdate>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let (mut write, current) = Write::in_session(&state, me.id, id).await?;
    let title = validate::title("title", input.title.as_deref())?;
    written(coaching_sessions::update_title(write.db(), id, title, if_match.edit(me.id)).await?, &current)?;
    let session = coaching_sessions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: id,
        coaching_session: Some(session.clone()),
    }));
    write.commit().await?;
    Ok(Json(Envelope::ok(session)))
}

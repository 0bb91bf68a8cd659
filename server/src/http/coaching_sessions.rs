//! `/coaching_sessions`: list, read, create, reschedule (coach), delete (coach), retitle.

use axum::extract::State;
use axum::routing::{get, patch};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingSession, CoachingSessionId, CoachingSessionsQuery, Envelope, Event, NewCoachingSession, SessionChanged,
    SessionRetitled, SortOrder, TitleUpdate, UpdateCoachingSession,
};

use super::{validate, Json, Path, Query};
use crate::auth::{access, CurrentUser};
use crate::db::coaching_sessions::{self, SessionFields};
use crate::db::{self, users};
use crate::error::{Error, Result};
use crate::state::AppState;

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
    access::relationship(&state.db, me.id, query.coaching_relationship_id).await?;
    if query.to_date < query.from_date {
        return Err(Error::validation("to_date must not be before from_date."));
    }
    let descending = query.sort_order == Some(SortOrder::Desc);
    let sessions =
        coaching_sessions::list(&state.db, query.coaching_relationship_id, query.from_date, query.to_date, descending)
            .await?;
    Ok(Json(Envelope::ok(sessions)))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let (session, _) = access::session(&state.db, me.id, id).await?;
    Ok(Json(Envelope::ok(session)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<NewCoachingSession>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let participants = access::relationship(&state.db, me.id, input.coaching_relationship_id).await?;
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
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let count =
        db::count_where(&mut *tx, "coaching_sessions", "coaching_relationship_id", input.coaching_relationship_id)
            .await?;
    validate::quota("sessions", "coaching relationship", count, validate::SESSIONS_PER_RELATIONSHIP)?;
    let id = coaching_sessions::insert(&mut *tx, input.coaching_relationship_id, &fields, Utc::now()).await?;
    let session = coaching_sessions::by_id(&mut *tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::CoachingSessionCreated(SessionChanged {
            coaching_relationship_id: participants.relationship_id,
            coaching_session_id: id,
            coaching_session: Some(session.clone()),
        }),
    );
    Ok(Json(Envelope::created(session)))
}

async fn update(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    Json(input): Json<UpdateCoachingSession>,
) -> Result<Json<Envelope<Option<()>>>> {
    let (session, participants) = access::session(&state.db, me.id, id).await?;
    access::require_coach(&participants, me.id)?;
    let fields = SessionFields {
        date: input.date,
        duration_minutes: validate::duration(input.duration_minutes.unwrap_or(session.duration_minutes))?,
        title: validate::title("title", input.title.as_deref())?,
        meeting_url: validate::meeting_url(input.meeting_url.as_deref())?,
        provider: input.provider,
    };
    if !coaching_sessions::update(&state.db, id, &fields, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    // The session as it now is travels with the event (read after the write, so a change
    // made meanwhile by someone else is not undone on screens); gone meanwhile, ids only.
    let updated = coaching_sessions::by_id(&state.db, id).await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::CoachingSessionUpdated(SessionChanged {
            coaching_relationship_id: participants.relationship_id,
            coaching_session_id: id,
            coaching_session: updated,
        }),
    );
    Ok(Json(Envelope::no_content()))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
) -> Result<Json<Envelope<Option<()>>>> {
    let (_, participants) = access::session(&state.db, me.id, id).await?;
    access::require_coach(&participants, me.id)?;
    if !coaching_sessions::delete(&state.db, id).await? {
        return Err(Error::NotFound);
    }
    state.hub.publish(
        &participants.recipients(),
        &Event::CoachingSessionDeleted(SessionChanged {
            coaching_relationship_id: participants.relationship_id,
            coaching_session_id: id,
            coaching_session: None,
        }),
    );
    Ok(Json(Envelope::no_content()))
}

async fn retitle(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    Json(input): Json<TitleUpdate>,
) -> Result<Json<Envelope<CoachingSession>>> {
    let (_, participants) = access::session(&state.db, me.id, id).await?;
    let title = validate::title("title", input.title.as_deref())?;
    if !coaching_sessions::update_title(&state.db, id, title, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let session = coaching_sessions::by_id(&state.db, id).await?.ok_or(Error::NotFound)?;
    state.hub.publish(
        &participants.recipients(),
        &Event::CoachingSessionTitleUpdated(SessionRetitled {
            coaching_session_id: id,
            coaching_session: Some(session.clone()),
        }),
    );
    Ok(Json(Envelope::ok(session)))
}

//! `/coaching_session_series`: recurring sessions (reference routes, `reference-api.md` 3.4).
//! The coach creates a series, reschedules it (its sessions still to come follow the new
//! rule, keeping what was written in them) or deletes it (its sessions still to come; past
//! ones stay). One session of a series is moved or deleted on its own through
//! `/coaching_sessions/{id}`. Each session comes and goes with its own events; the mail is
//! one per person per change.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingSession, CoachingSessionSeries, CoachingSessionSeriesId, Envelope, Event, NewSeries, Recurrence,
    SeriesQuery, SeriesUpdate, SeriesWithSessions, SessionChanged, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::coaching_sessions::{self, SessionFields};
use super::super::db::{series, users};
use super::super::notify;
use super::super::state::AppState;
use super::super::write::Write;
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};
use crate::mail::templates::SessionChange;
use crate::recurrence;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/coaching_session_series", get(list).post(create))
        .route("/coaching_session_series/{id}", get(read).put(reschedule).delete(remove))
}

/// The starts `rule` makes from `start`, in the coach's zone; 422 for a rule that makes no
/// sensible series.
async fn starts_of(
    write: &mut Write<'_>,
    start: chrono::NaiveDateTime,
    rule: &Recurrence,
) -> Result<Vec<chrono::NaiveDateTime>> {
    let coach = write.participants().coach_id;
    let zone = users::by_id_in(write.db(), coach).await?.map(|user| user.timezone).unwrap_or_default();
    let zone = zone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    recurrence::occurrences(start, rule, zone).map_err(|error| Error::validation(error.to_string()))
}

fn created(session: &CoachingSession) -> Event {
    Event::CoachingSessionCreated(SessionChanged {
        coaching_relationship_id: session.coaching_relationship_id,
        coaching_session_id: session.id,
        coaching_session: Some(session.clone()),
    })
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<NewSeries>,
) -> Result<Json<Envelope<SeriesWithSessions>>> {
    let mut write = Write::in_relationship(&state, me.id, input.coaching_relationship_id).await?;
    access::require_coach(write.participants(), me.id)?;
    let preferred = users::by_id_in(write.db(), me.id).await?.map_or(60, |user| user.default_coaching_session_duration_minutes);
    let duration = validate::duration(input.duration_minutes.unwrap_or(preferred))?;
    let title = validate::title("title", input.title.as_deref())?;
    let meeting_url = validate::meeting_url(input.meeting_url.as_deref())?;
    let starts = starts_of(&mut write, input.start_at, &input.recurrence).await?;
    let relationship = write.participants().relationship_id;
    let count = coaching_sessions::count_in_relationship(write.db(), relationship).await?;
    validate::quota("sessions", "coaching relationship", count + starts.len() - 1, validate::SESSIONS_PER_RELATIONSHIP)?;
    let now = Utc::now();
    let id = series::insert(write.db(), relationship, (input.start_at, &input.recurrence, duration), me.id, now).await?;
    let mut sessions = Vec::with_capacity(starts.len());
    for date in starts {
        let fields = SessionFields { date, duration_minutes: duration, title, meeting_url, provider: None };
        let session_id = series::add_session(write.db(), id, relationship, &fields, now).await?;
        let session = coaching_sessions::by_id(write.db(), session_id).await?.ok_or(Error::NotFound)?;
        write.emit(created(&session));
        sessions.push(session);
    }
    notify::series_changed(&mut write, SessionChange::Scheduled, &sessions, me.id).await?;
    let series = series::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.commit().await?;
    Ok(Json(Envelope::created(SeriesWithSessions { series, sessions })))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<SeriesQuery>,
) -> Result<Json<Envelope<Vec<CoachingSessionSeries>>>> {
    let mut db = state.db.acquire().await?;
    access::relationship(&mut db, me.id, query.coaching_relationship_id).await?;
    Ok(Json(Envelope::ok(series::of_relationship(&mut db, query.coaching_relationship_id).await?)))
}

/// The series, if `me` takes part in its relationship.
async fn find(state: &AppState, me: UserId, id: CoachingSessionSeriesId) -> Result<CoachingSessionSeries> {
    let mut db = state.db.acquire().await?;
    let found = series::by_id(&mut db, id).await?.ok_or(Error::NotFound)?;
    access::relationship(&mut db, me, found.coaching_relationship_id).await?;
    Ok(found)
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionSeriesId>,
) -> Result<Json<Envelope<SeriesWithSessions>>> {
    let series = find(&state, me.id, id).await?;
    let mut db = state.db.acquire().await?;
    let sessions = series::sessions(&mut db, id, None).await?;
    Ok(Json(Envelope::ok(SeriesWithSessions { series, sessions })))
}

/// A write by the coach on the series' relationship, with the series as it is inside it.
async fn coach_write(state: &AppState, me: UserId, id: CoachingSessionSeriesId) -> Result<Write<'_>> {
    let relationship = find(state, me, id).await?.coaching_relationship_id;
    let mut write = Write::in_relationship(state, me, relationship).await?;
    access::require_coach(write.participants(), me)?;
    series::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    Ok(write)
}

async fn reschedule(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionSeriesId>,
    Json(input): Json<SeriesUpdate>,
) -> Result<Json<Envelope<SeriesWithSessions>>> {
    let mut write = coach_write(&state, me.id, id).await?;
    let now = Utc::now();
    let from = now.naive_utc();
    let to_come = series::sessions(write.db(), id, Some(from)).await?;
    let duration =
        validate::duration(input.duration_minutes.or(to_come.first().map(|s| s.duration_minutes)).unwrap_or(60))?;
    let starts: Vec<_> =
        starts_of(&mut write, input.start_at, &input.recurrence).await?.into_iter().filter(|start| *start > from).collect();
    if starts.is_empty() {
        return Err(Error::validation("The new schedule has no session still to come."));
    }
    let relationship = write.participants().relationship_id;
    let count = coaching_sessions::count_in_relationship(write.db(), relationship).await?;
    let added = starts.len().saturating_sub(to_come.len());
    validate::quota("sessions", "coaching relationship", (count + added).saturating_sub(1), validate::SESSIONS_PER_RELATIONSHIP)?;
    // The sessions still to come keep what was written in them, taking the new starts in order;
    // extra starts make new sessions, extra sessions are cancelled.
    let (title, meeting_url) = to_come.first().map_or((None, None), |s| (s.title.clone(), s.meeting_url.clone()));
    let mut moved = Vec::new();
    for (index, date) in starts.iter().enumerate() {
        let session_id = match to_come.get(index) {
            Some(existing) => {
                series::reschedule_session(write.db(), existing.id, (*date, duration), me.id, now).await?;
                existing.id
            }
            None => {
                let fields = SessionFields {
                    date: *date,
                    duration_minutes: duration,
                    title: title.as_deref(),
                    meeting_url: meeting_url.as_deref(),
                    provider: None,
                };
                series::add_session(write.db(), id, relationship, &fields, now).await?
            }
        };
        let session = coaching_sessions::by_id(write.db(), session_id).await?.ok_or(Error::NotFound)?;
        write.emit(if index < to_come.len() {
            Event::CoachingSessionUpdated(SessionChanged {
                coaching_relationship_id: relationship,
                coaching_session_id: session.id,
                coaching_session: Some(session.clone()),
            })
        } else {
            created(&session)
        });
        moved.push(session);
    }
    let cancelled = cancel(&mut write, to_come.get(starts.len()..).unwrap_or_default()).await?;
    series::update(write.db(), id, (input.start_at, &input.recurrence, duration), now).await?;
    notify::series_changed(&mut write, SessionChange::Moved, &moved, me.id).await?;
    notify::series_changed(&mut write, SessionChange::Cancelled, &cancelled, me.id).await?;
    let series = series::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    let sessions = series::sessions(write.db(), id, None).await?;
    write.commit().await?;
    Ok(Json(Envelope::ok(SeriesWithSessions { series, sessions })))
}

/// Deletes `sessions` (with what was written in them), announcing each.
async fn cancel(write: &mut Write<'_>, sessions: &[CoachingSession]) -> Result<Vec<CoachingSession>> {
    for session in sessions {
        coaching_sessions::delete(write.db(), session.id).await?;
        write.emit(Event::CoachingSessionDeleted(SessionChanged {
            coaching_relationship_id: session.coaching_relationship_id,
            coaching_session_id: session.id,
            coaching_session: None,
        }));
    }
    Ok(sessions.to_vec())
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionSeriesId>,
) -> Result<StatusCode> {
    let mut write = coach_write(&state, me.id, id).await?;
    let to_come = series::sessions(write.db(), id, Some(Utc::now().naive_utc())).await?;
    let cancelled = cancel(&mut write, &to_come).await?;
    series::delete(write.db(), id).await?;
    notify::series_changed(&mut write, SessionChange::Cancelled, &cancelled, me.id).await?;
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

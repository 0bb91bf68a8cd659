//! `/agreements` and `/notes`: one set of handlers for both. Each is a body someone wrote in
//! a coaching session; they differ only in names, limits, events, and that notes are never
//! deleted (the contract has no such route).

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tandem_protocol::{
    Agreement, AgreementChanged, AgreementDeleted, AgreementInput, CoachingSessionId, Deleted, Envelope, Event, Note,
    NoteChanged, NoteInput, NotificationKind, SessionItemsQuery, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::deleted_items;
use super::super::db::session_texts::{self, SessionText};
use super::super::notify;
use super::super::state::AppState;
use super::super::write::Write;
use super::precondition::{written, IfMatch};
use super::{note_document, validate, Json, Path, Query};
use crate::error::{Error, Result};

/// How one kind of session text is served.
pub trait TextRoute: SessionText + Clone + Serialize + Send + Sync + 'static {
    /// What `POST` and `PUT` take.
    type Input: DeserializeOwned + Send + 'static;
    /// The collection's path.
    const PATH: &'static str;
    /// The body's name in validation messages.
    const NAME: &'static str;
    /// Its name for more than one (quota messages).
    const PLURAL: &'static str;
    /// Longest body.
    const BODY_MAX: usize;
    /// Most per session.
    const PER_SESSION: usize;
    /// Refusal of a move to another session.
    const NO_MOVE: &'static str;
    /// Whether the session's first one is mirrored by the live notes document.
    const IN_DOCUMENT: bool;
    /// The event of a deletion; None where there is no delete route.
    const DELETED: Option<fn(CoachingSessionId, Self::Id) -> Event>;
    /// The other person's inbox item when one is added; None where adding tells nobody.
    const ADDED: Option<NotificationKind>;
    /// Under which kind a delete is kept for undo (`/…/{id}/restore`); None where it is not.
    const KEPT: Option<deleted_items::Kind>;

    /// The session and body of an input.
    fn input(input: &Self::Input) -> (CoachingSessionId, Option<&str>);
    /// Its session.
    fn session(&self) -> CoachingSessionId;
    /// The event of its creation.
    fn created(&self) -> Event;
    /// The event of an edit.
    fn updated(&self) -> Event;
}

impl TextRoute for Agreement {
    type Input = AgreementInput;
    const PATH: &'static str = "/agreements";
    const NAME: &'static str = "agreement";
    const PLURAL: &'static str = "agreements";
    const BODY_MAX: usize = validate::BODY_MAX;
    const PER_SESSION: usize = validate::AGREEMENTS_PER_SESSION;
    const NO_MOVE: &'static str = "An agreement cannot be moved to another coaching session.";
    const IN_DOCUMENT: bool = false;
    const ADDED: Option<NotificationKind> = Some(NotificationKind::AgreementAdded);
    const KEPT: Option<deleted_items::Kind> = Some(deleted_items::Kind::Agreement);
    const DELETED: Option<fn(CoachingSessionId, Self::Id) -> Event> = Some(|coaching_session_id, agreement_id| {
        Event::AgreementDeleted(AgreementDeleted { coaching_session_id, agreement_id })
    });

    fn input(input: &AgreementInput) -> (CoachingSessionId, Option<&str>) {
        (input.coaching_session_id, input.body.as_deref())
    }
    fn session(&self) -> CoachingSessionId {
        self.coaching_session_id
    }
    fn created(&self) -> Event {
        Event::AgreementCreated(AgreementChanged {
            coaching_session_id: self.coaching_session_id,
            agreement: self.clone(),
        })
    }
    fn updated(&self) -> Event {
        Event::AgreementUpdated(AgreementChanged {
            coaching_session_id: self.coaching_session_id,
            agreement: self.clone(),
        })
    }
}

impl TextRoute for Note {
    type Input = NoteInput;
    const PATH: &'static str = "/notes";
    const NAME: &'static str = "note";
    const PLURAL: &'static str = "notes";
    const BODY_MAX: usize = validate::NOTE_MAX;
    const PER_SESSION: usize = validate::NOTES_PER_SESSION;
    const NO_MOVE: &'static str = "A note cannot be moved to another coaching session.";
    const IN_DOCUMENT: bool = true;
    const DELETED: Option<fn(CoachingSessionId, Self::Id) -> Event> = None;
    const ADDED: Option<NotificationKind> = None;
    const KEPT: Option<deleted_items::Kind> = None;

    fn input(input: &NoteInput) -> (CoachingSessionId, Option<&str>) {
        (input.coaching_session_id, input.body.as_deref())
    }
    fn session(&self) -> CoachingSessionId {
        self.coaching_session_id
    }
    fn created(&self) -> Event {
        Event::NoteCreated(NoteChanged { coaching_session_id: self.coaching_session_id, note: self.clone() })
    }
    fn updated(&self) -> Event {
        Event::NoteUpdated(NoteChanged { coaching_session_id: self.coaching_session_id, note: self.clone() })
    }
}

/// The routes of `T`.
pub fn router<T: TextRoute>() -> Router<AppState> {
    let one = get(read::<T>).put(edit::<T>);
    let one = if T::DELETED.is_some() { one.delete(remove::<T>) } else { one };
    Router::new().route(T::PATH, get(list::<T>).post(create::<T>)).route(&format!("{}/{{id}}", T::PATH), one)
}

async fn list<T: TextRoute>(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<SessionItemsQuery>,
) -> Result<Json<Envelope<Vec<T>>>> {
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, query.coaching_session_id).await?;
    Ok(Json(Envelope::ok(session_texts::of_session::<T>(&mut *db, query.coaching_session_id).await?)))
}

async fn create<T: TextRoute>(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<T::Input>,
) -> Result<Json<Envelope<T>>> {
    let (session, body) = T::input(&input);
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    let body = validate::text(T::NAME, body, T::BODY_MAX)?;
    let count = session_texts::count_in_session::<T>(write.db(), session).await?;
    validate::quota(T::PLURAL, "session", count, T::PER_SESSION)?;
    let id = session_texts::insert::<T>(write.db(), session, me.id, body, Utc::now()).await?;
    let created = session_texts::by_id::<T>(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(created.created());
    if let Some(kind) = T::ADDED {
        notify::added_to_session(&mut write, kind, body.unwrap_or_default(), session, me.id).await?;
    }
    if T::IN_DOCUMENT {
        note_document::follow_plain_edit(&mut write, session, me.id).await?;
    }
    write.commit().await?;
    Ok(Json(Envelope::created(created)))
}

/// The text, if `me` takes part in its session.
async fn find<T: TextRoute>(state: &AppState, me: UserId, id: T::Id) -> Result<T> {
    let mut db = state.db.acquire().await?;
    let found = session_texts::by_id::<T>(&mut *db, id).await?.ok_or(Error::NotFound)?;
    access::session(&mut db, me, found.session()).await?;
    Ok(found)
}

/// A write on the text's session, with the text as it is inside it.
async fn write_on<T: TextRoute>(state: &AppState, me: UserId, id: T::Id) -> Result<(Write<'_>, T)> {
    let session = find::<T>(state, me, id).await?.session();
    let (mut write, _) = Write::in_session(state, me, session).await?;
    let found = session_texts::by_id::<T>(write.db(), id).await?.ok_or(Error::NotFound)?;
    Ok((write, found))
}

async fn read<T: TextRoute>(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<T::Id>,
) -> Result<Json<Envelope<T>>> {
    Ok(Json(Envelope::ok(find::<T>(&state, me.id, id).await?)))
}

async fn edit<T: TextRoute>(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<T::Id>,
    if_match: IfMatch,
    Json(input): Json<T::Input>,
) -> Result<Json<Envelope<T>>> {
    let (mut write, current) = write_on::<T>(&state, me.id, id).await?;
    let (session, body) = T::input(&input);
    if session != current.session() {
        return Err(Error::validation(T::NO_MOVE));
    }
    let body = validate::text(T::NAME, body, T::BODY_MAX)?;
    written(session_texts::update::<T>(write.db(), id, body, if_match.edit(me.id)).await?, &current)?;
    let edited = session_texts::by_id::<T>(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(edited.updated());
    if T::IN_DOCUMENT {
        note_document::follow_plain_edit(&mut write, session, me.id).await?;
    }
    write.commit().await?;
    Ok(Json(Envelope::ok(edited)))
}

async fn remove<T: TextRoute>(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<T::Id>,
) -> Result<Json<Deleted<T::Id>>> {
    let deleted_event = T::DELETED.ok_or(Error::NotFound)?;
    let (mut write, found) = write_on::<T>(&state, me.id, id).await?;
    if let Some(kind) = T::KEPT {
        let relationship = write.participants().relationship_id;
        deleted_items::keep(write.db(), kind, id.into(), relationship, (&found, &()), me.id, Utc::now()).await?;
    }
    if !session_texts::delete::<T>(write.db(), id).await? {
        return Err(Error::NotFound);
    }
    write.emit(deleted_event(found.session(), id));
    write.commit().await?;
    Ok(Json(Deleted { id }))
}

//! `/coaching_sessions/{id}/notes/document` [extension]: the session's notes as a shared
//! document that both people type into at once.
//!
//! `GET` answers what the caller lacks (by its state vector), `POST` merges the caller's
//! changes. A merged change is stored, mirrored into the session's first note (so `/notes`
//! shows the text), and sent to both participants as `note_document_updated`, with an id
//! like every event, so replay and `resync` hold. An update that is not one, or that builds
//! on changes the document lacks, is refused with 422 and the stored document is untouched:
//! it is merged into a fresh replica of the stored state, kept only on success.
//!
//! The notes began as plain text and became rich text (an XML fragment beside the text,
//! `notes::crdt`): the first rich client to read the document moves the text into the
//! fragment, once, inside the write that stores it; from then on a plain client (a page from
//! before, still open) is refused with 409 and asked to reload, since what it typed would be
//! shown nowhere. The first note's body is the rich notes as Markdown (`notes::markdown`).

use std::panic::{catch_unwind, AssertUnwindSafe};

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingSessionId, Envelope, Event, Note, NoteChanged, NoteDocumentAck, NoteDocumentPush, NoteDocumentQuery,
    NoteDocumentState, NoteDocumentUpdated, NotesFormat, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::{self, note_documents, session_texts};
use super::super::state::AppState;
use super::super::write::Write;
use super::{validate, Json, Path, Query};
use crate::notes::crdt::{self, DocError, NotesDoc, MAX_DOCUMENT_BYTES};
use crate::notes::update::{self as update_reader, PLAIN_NOTES, RICH_NOTES};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new().route("/coaching_sessions/{id}/notes/document", get(read).post(push))
}

fn refused(error: DocError) -> Error {
    Error::validation(format!("The notes change was refused: {error}."))
}

/// Reads a client's update without the merge engine (well formed, shallow, only the part
/// of the document its format writes: see `notes::update`), so no input reaches `yrs` that
/// could overflow its stack.
fn check(update: &[u8], format: NotesFormat) -> Result<()> {
    let layout = match format {
        NotesFormat::Plain => &PLAIN_NOTES,
        NotesFormat::Rich => &RICH_NOTES,
    };
    update_reader::check(update, layout).map(drop).map_err(|error| refused(DocError::Refused(error)))
}

/// A plain client's change to notes that have become rich text: it would be shown nowhere.
fn outdated_page() -> Error {
    Error::Conflict {
        message: "These notes have become rich text since this page opened: reload the page to keep writing.".into(),
        details: None,
    }
}

/// Loads a stored document. One that no longer loads is a fault of the server, not of the
/// request.
fn load(state: &[u8]) -> Result<NotesDoc> {
    NotesDoc::from_state(state).map_err(|e| Error::Internal(format!("a stored notes document does not load: {e}")))
}

/// Merges a client's `update`, which [`check`] passed, into `doc`; whether the text changed.
/// A panic inside the merge engine (a hostile update it did not foresee) is a refusal like
/// any other.
fn merge(doc: &NotesDoc, update: &[u8]) -> Result<bool> {
    match catch_unwind(AssertUnwindSafe(|| doc.apply(update))) {
        Ok(merged) => merged.map_err(refused),
        Err(_) => Err(refused(DocError::Malformed("the merge engine could not read it".into()))),
    }
}

/// The session's document inside `write`: the stored one, or one started from the first
/// note's text (stored at once, so every replica starts from the same one).
async fn load_or_start(write: &mut Write<'_>, session: CoachingSessionId) -> Result<NotesDoc> {
    if let Some(stored) = note_documents::state_of(write.db(), session).await? {
        return load(&stored);
    }
    let doc = NotesDoc::new();
    let first = session_texts::first_of_session::<Note>(write.db(), session).await?;
    doc.replace_text(first.and_then(|note| note.body).as_deref().unwrap_or(""));
    note_documents::store(write.db(), session, &doc.state(), Utc::now()).await?;
    Ok(doc)
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Query(query): Query<NoteDocumentQuery>,
) -> Result<Json<Envelope<NoteDocumentState>>> {
    let theirs = match &query.state_vector {
        Some(vector) => crdt::from_base64(vector).map_err(|e| Error::BadRequest(e.to_string()))?,
        None => Vec::new(),
    };
    let stored = {
        let mut db = state.db.acquire().await?;
        access::session(&mut db, me.id, session).await?;
        note_documents::state_of(&mut *db, session).await?
    };
    let ready = stored.map(|stored| load(&stored)).transpose()?;
    let doc = match ready {
        Some(doc) if query.format == NotesFormat::Plain || doc.is_rich() => doc,
        // Started, or made rich, in a write: of two first readers, the second finds it done.
        _ => {
            let (mut write, _) = Write::in_session(&state, me.id, session).await?;
            let doc = load_or_start(&mut write, session).await?;
            if query.format == NotesFormat::Rich {
                if let Some(moved) = doc.move_into_rich() {
                    let change = Change { by: me.id, state: &doc.state(), body: Some(&doc.body()), update: &moved };
                    keep_and_announce(&mut write, session, change).await?;
                }
            }
            write.commit().await?;
            doc
        }
    };
    let update = doc.diff_since(&theirs).map_err(|e| Error::BadRequest(format!("state_vector: {e}")))?;
    Ok(Json(Envelope::ok(NoteDocumentState {
        coaching_session_id: session,
        update: crdt::to_base64(&update),
        state_vector: crdt::to_base64(&doc.state_vector()),
    })))
}

async fn push(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(session): Path<CoachingSessionId>,
    Json(push): Json<NoteDocumentPush>,
) -> Result<Json<Envelope<NoteDocumentAck>>> {
    let update = crdt::from_base64(&push.update).map_err(refused)?;
    let (mut write, _) = Write::in_session(&state, me.id, session).await?;
    // Before the allowance, so a refused update costs none of it.
    check(&update, push.format)?;
    state.limits.notes.take(me.id, update.len())?;
    let doc = load_or_start(&mut write, session).await?;
    if push.format == NotesFormat::Plain && doc.is_rich() {
        return Err(outdated_page());
    }
    if merge(&doc, &update)? {
        let whole = doc.state();
        if whole.len() > MAX_DOCUMENT_BYTES {
            return Err(refused(DocError::TooLarge));
        }
        let change = Change { by: me.id, state: &whole, body: Some(&doc.body()), update: &update };
        keep_and_announce(&mut write, session, change).await?;
    }
    // Nothing new (an update sent twice) still commits the document started here, if any.
    write.commit().await?;
    Ok(Json(Envelope::ok(NoteDocumentAck { state_vector: crdt::to_base64(&doc.state_vector()) })))
}

/// A change of a session's document, merged and ready to keep.
struct Change<'a> {
    /// Who made it.
    by: UserId,
    /// The whole document after it, to store.
    state: &'a [u8],
    /// The notes as text after it, for the first note; `None` when the note is its source.
    body: Option<&'a str>,
    /// The change itself, for the replicas open elsewhere.
    update: &'a [u8],
}

/// Stores a change, mirrors it into the first note, and tells both participants
/// (`note_document_updated`, after the note's own event when the note is new).
async fn keep_and_announce(write: &mut Write<'_>, session: CoachingSessionId, change: Change<'_>) -> Result<()> {
    note_documents::store(write.db(), session, change.state, Utc::now()).await?;
    if let Some(body) = change.body {
        mirror_into_first_note(write, session, change.by, body).await?;
    }
    write.emit(Event::NoteDocumentUpdated(NoteDocumentUpdated {
        coaching_session_id: session,
        user_id: change.by,
        update: Some(crdt::to_base64(change.update)),
    }));
    Ok(())
}

/// Keeps the session's first note's body equal to the document's text (the rich notes as
/// Markdown, once they are rich), creating the note
/// if there is none. Only a creation is announced (`note_created`): each edit already went
/// out as the document update, and repeating the whole text per burst of typing would
/// multiply what goes over the wire.
async fn mirror_into_first_note(
    write: &mut Write<'_>,
    session: CoachingSessionId,
    me: UserId,
    text: &str,
) -> Result<()> {
    let body = validate::text("note", Some(text), validate::NOTE_MAX)?;
    let now = Utc::now();
    match session_texts::first_of_session::<Note>(write.db(), session).await? {
        Some(first) => {
            // Typed into the document, so based on no version of the note.
            let edit = db::Edit { by: me, at: now, based_on: None };
            session_texts::update::<Note>(write.db(), first.id, body, edit).await?;
        }
        None => {
            let id = session_texts::insert::<Note>(write.db(), session, me, body, now).await?;
            let created = session_texts::by_id::<Note>(write.db(), id).await?.ok_or(Error::NotFound)?;
            write.emit(Event::NoteCreated(NoteChanged { coaching_session_id: session, note: created }));
        }
    }
    Ok(())
}

/// After `PUT /notes/{id}` (a client that types without the document, such as one made for
/// the reference backend): the document follows the first note's new text, as one edit
/// that merges with whatever else is being typed. Rich notes take it one paragraph per line.
pub async fn follow_plain_edit(write: &mut Write<'_>, session: CoachingSessionId, me: UserId) -> Result<()> {
    let Some(stored) = note_documents::state_of(write.db(), session).await? else { return Ok(()) };
    let doc = load(&stored)?;
    let first = session_texts::first_of_session::<Note>(write.db(), session).await?;
    let text = first.and_then(|note| note.body).unwrap_or_default();
    let changed = if doc.is_rich() { doc.replace_rich_with_lines(&text) } else { doc.replace_text(&text) };
    if let Some(update) = changed {
        // The note is where the text came from: nothing to mirror.
        let change = Change { by: me, state: &doc.state(), body: None, update: &update };
        keep_and_announce(write, session, change).await?;
    }
    Ok(())
}

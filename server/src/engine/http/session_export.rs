//! `GET /coaching_sessions/{id}/export.md` [extension]: the session as one Markdown file
//! (`notes::export`), for its participants. A download from a plain link, so it asks for
//! the sign-in cookie only, not the API's `X-Version` header.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tandem_protocol::{Agreement, CoachingSessionId};

use super::super::auth::{access, CurrentUser};
use super::super::db::{actions, goals, note_documents, session_texts, users};
use super::super::state::AppState;
use super::Path;
use crate::error::{Error, Result};
use crate::mail::templates::when;
use crate::notes::crdt::NotesDoc;
use crate::notes::export::{ExportAction, ExportGoal, SessionExport};

pub fn router() -> Router<AppState> {
    Router::new().route("/coaching_sessions/{session}/export.md", get(export))
}

async fn export(State(state): State<AppState>, me: CurrentUser, Path(session): Path<CoachingSessionId>) -> Result<Response> {
    let mut db = state.db.acquire().await?;
    let (found, participants) = access::session(&mut db, me.id, session).await?;
    let mut people = Vec::new();
    let mut zone = String::from("UTC");
    for id in [participants.coach_id, participants.coachee_id] {
        let user = users::by_id_in(&mut db, id).await?.ok_or(Error::NotFound)?;
        if id == me.id {
            zone = user.timezone.clone();
        }
        people.push((id, user.name()));
    }
    let notes = match note_documents::state_of(&mut *db, session).await? {
        Some(stored) => NotesDoc::from_state(&stored)
            .map_err(|e| Error::Internal(format!("a stored notes document does not load: {e}")))?
            .body(),
        None => session_texts::first_of_session::<tandem_protocol::Note>(&mut *db, session)
            .await?
            .and_then(|note| note.body)
            .unwrap_or_default(),
    };
    let agreements = session_texts::of_session::<Agreement>(&mut *db, session).await?;
    let actions = actions::of_session(&mut db, session, actions::Order::default()).await?;
    let goals = goals::linked_to(&mut *db, session).await?;
    let file = SessionExport {
        title: found.title.clone(),
        when: when(found.date.and_utc(), &zone),
        people,
        notes,
        agreements: agreements.into_iter().filter_map(|agreement| agreement.body).collect(),
        actions: actions
            .into_iter()
            .map(|action| ExportAction {
                body: action.body.unwrap_or_default(),
                status: action.status,
                due_by: action.due_by,
                assignees: action.assignee_ids,
            })
            .collect(),
        goals: goals
            .into_iter()
            .map(|goal| ExportGoal {
                title: goal.title.unwrap_or_default(),
                status: goal.status,
                target_date: goal.target_date,
            })
            .collect(),
    };
    let name = format!("attachment; filename=\"session-{}.md\"", found.date.format("%Y-%m-%d"));
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)],
        file.to_markdown(),
    )
        .into_response())
}

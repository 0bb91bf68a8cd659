//! `/agreements`: list per session, create, read, edit, delete.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Agreement, AgreementChanged, AgreementDeleted, AgreementId, AgreementInput, Deleted, Envelope, Event,
    SessionItemsQuery, UserId,
};

use super::{session_texts as writes, validate, Json, Path, Query};
use crate::auth::{access, CurrentUser};
use crate::db::relationships::Participants;
use crate::db::session_texts;
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agreements", get(list).post(create))
        .route("/agreements/{id}", get(read).put(edit).delete(remove))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<SessionItemsQuery>,
) -> Result<Json<Envelope<Vec<Agreement>>>> {
    access::session(&state.db, me.id, query.coaching_session_id).await?;
    Ok(Json(Envelope::ok(session_texts::of_session::<Agreement>(&state.db, query.coaching_session_id).await?)))
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<AgreementInput>,
) -> Result<Json<Envelope<Agreement>>> {
    let (_, participants) = access::session(&state.db, me.id, input.coaching_session_id).await?;
    let body = validate::text("agreement", input.body.as_deref(), validate::BODY_MAX)?;
    let agreement: Agreement = writes::create_within_quota(
        &state.db,
        input.coaching_session_id,
        me.id,
        body,
        ("agreements", validate::AGREEMENTS_PER_SESSION),
    )
    .await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::AgreementCreated(AgreementChanged {
            coaching_session_id: agreement.coaching_session_id,
            agreement: agreement.clone(),
        }),
    );
    Ok(Json(Envelope::created(agreement)))
}

async fn find(state: &AppState, me: UserId, id: AgreementId) -> Result<(Agreement, Participants)> {
    let agreement = session_texts::by_id::<Agreement>(&state.db, &id).await?.ok_or(Error::NotFound)?;
    let (_, participants) = access::session(&state.db, me, agreement.coaching_session_id).await?;
    Ok((agreement, participants))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<AgreementId>,
) -> Result<Json<Envelope<Agreement>>> {
    Ok(Json(Envelope::ok(find(&state, me.id, id).await?.0)))
}

async fn edit(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<AgreementId>,
    Json(input): Json<AgreementInput>,
) -> Result<Json<Envelope<Agreement>>> {
    let (current, participants) = find(&state, me.id, id).await?;
    if input.coaching_session_id != current.coaching_session_id {
        return Err(Error::validation("An agreement cannot be moved to another coaching session."));
    }
    let body = validate::text("agreement", input.body.as_deref(), validate::BODY_MAX)?;
    if !session_texts::update::<Agreement>(&state.db, &id, body, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let agreement = session_texts::by_id::<Agreement>(&state.db, &id).await?.ok_or(Error::NotFound)?;
    state.hub.publish(
        &participants.recipients(),
        &Event::AgreementUpdated(AgreementChanged {
            coaching_session_id: agreement.coaching_session_id,
            agreement: agreement.clone(),
        }),
    );
    Ok(Json(Envelope::ok(agreement)))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<AgreementId>,
) -> Result<Json<Deleted<AgreementId>>> {
    let (agreement, participants) = find(&state, me.id, id).await?;
    if !session_texts::delete::<Agreement>(&state.db, &id).await? {
        return Err(Error::NotFound);
    }
    state.hub.publish(
        &participants.recipients(),
        &Event::AgreementDeleted(AgreementDeleted {
            coaching_session_id: agreement.coaching_session_id,
            agreement_id: id,
        }),
    );
    Ok(Json(Deleted { id }))
}

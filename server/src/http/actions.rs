//! `/actions`: list per session, create, read, replace, delete.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Action, ActionChanged, ActionDeleted, ActionId, ActionInput, Deleted, Envelope, Event, SessionItemsQuery, UserId,
};

use super::{validate, Json, Path, Query};
use crate::auth::{access, CurrentUser};
use crate::db::actions::{self, ActionFields, Order};
use crate::db::relationships::Participants;
use crate::db::{self, goals};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actions", get(list).post(create))
        .route("/actions/{id}", get(read).put(replace).delete(remove))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<SessionItemsQuery>,
) -> Result<Json<Envelope<Vec<Action>>>> {
    access::session(&state.db, me.id, query.coaching_session_id).await?;
    let mut db = state.db.acquire().await?;
    let order = Order::from_query(query.sort_by, query.sort_order);
    Ok(Json(Envelope::ok(actions::of_session(&mut db, query.coaching_session_id, order).await?)))
}

/// Checks the input against the relationship: assignees must be its participants, the goal
/// one of its goals. Returns the assignee list to store (None = leave as is).
async fn checked_fields<'a>(
    state: &AppState,
    input: &'a ActionInput,
    participants: &Participants,
) -> Result<ActionFields<'a>> {
    let body = validate::text("body", input.body.as_deref(), validate::BODY_MAX)?;
    if let Some(assignees) = &input.assignee_ids {
        if let Some(stranger) = assignees.iter().find(|user| !participants.includes(**user)) {
            return Err(Error::validation(format!(
                "Assignee {stranger} is not the coach or the coachee of this session."
            )));
        }
    }
    if let Some(goal_id) = input.goal_id {
        let goal = goals::by_id(&state.db, goal_id).await?;
        if goal.is_none_or(|goal| goal.coaching_relationship_id != participants.relationship_id) {
            return Err(Error::validation("The goal does not belong to this coaching relationship."));
        }
    }
    Ok(ActionFields {
        body,
        due_by: input.due_by,
        status: input.status,
        goal_id: input.goal_id,
        assignee_ids: input.assignee_ids.as_deref().unwrap_or(&[]),
    })
}

fn dedup(ids: &[UserId]) -> Vec<UserId> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    unique
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(mut input): Json<ActionInput>,
) -> Result<Json<Envelope<Action>>> {
    let (_, participants) = access::session(&state.db, me.id, input.coaching_session_id).await?;
    input.assignee_ids = input.assignee_ids.as_deref().map(dedup);
    let fields = checked_fields(&state, &input, &participants).await?;
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let count = db::count_where(&mut *tx, "actions", "coaching_session_id", input.coaching_session_id).await?;
    validate::quota("actions", "session", count, validate::ACTIONS_PER_SESSION)?;
    let id = actions::insert(&mut tx, input.coaching_session_id, me.id, &fields, Utc::now()).await?;
    let action = actions::by_id(&mut tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::ActionCreated(ActionChanged {
            coaching_session_id: action.coaching_session_id,
            action: action.clone(),
        }),
    );
    Ok(Json(Envelope::created(action)))
}

/// The action and its session's participants, if `me` is one of them.
async fn find(state: &AppState, me: UserId, id: ActionId) -> Result<(Action, Participants)> {
    let mut db = state.db.acquire().await?;
    let action = actions::by_id(&mut db, id).await?.ok_or(Error::NotFound)?;
    drop(db);
    let (_, participants) = access::session(&state.db, me, action.coaching_session_id).await?;
    Ok((action, participants))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
) -> Result<Json<Envelope<Action>>> {
    let (action, _) = find(&state, me.id, id).await?;
    Ok(Json(Envelope::ok(action)))
}

async fn replace(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
    Json(mut input): Json<ActionInput>,
) -> Result<Json<Envelope<Action>>> {
    let (current, participants) = find(&state, me.id, id).await?;
    if input.coaching_session_id != current.coaching_session_id {
        return Err(Error::validation("An action cannot be moved to another coaching session."));
    }
    input.assignee_ids = input.assignee_ids.as_deref().map(dedup);
    let fields = checked_fields(&state, &input, &participants).await?;
    let mut tx = state.db.begin().await?;
    if !actions::update(&mut tx, id, &fields, input.assignee_ids.is_some(), Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let action = actions::by_id(&mut tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::ActionUpdated(ActionChanged {
            coaching_session_id: action.coaching_session_id,
            action: action.clone(),
        }),
    );
    Ok(Json(Envelope::ok(action)))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
) -> Result<Json<Deleted<ActionId>>> {
    let (action, participants) = find(&state, me.id, id).await?;
    if !actions::delete(&state.db, id).await? {
        return Err(Error::NotFound);
    }
    state.hub.publish(
        &participants.recipients(),
        &Event::ActionDeleted(ActionDeleted { coaching_session_id: action.coaching_session_id, action_id: id }),
    );
    Ok(Json(Deleted { id }))
}

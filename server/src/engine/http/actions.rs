//! `/actions`: list per session, create, read, replace, delete.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Action, ActionChanged, ActionDeleted, ActionId, ActionInput, Deleted, Envelope, Event, SessionItemsQuery, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::actions::{self, ActionFields, Order};
use super::super::db::relationships::Participants;
use super::super::db::deleted_items::{self, Kind};
use super::super::db::{goals, Conn};
use super::super::notify;
use super::super::state::AppState;
use super::super::write::Write;
use super::precondition::{written, IfMatch};
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};

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
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, query.coaching_session_id).await?;
    let order = Order::from_query(query.sort_by, query.sort_order);
    Ok(Json(Envelope::ok(actions::of_session(&mut db, query.coaching_session_id, order).await?)))
}

/// Checks the input against the relationship: assignees must be its participants, the goal
/// one of its goals.
async fn checked_fields<'a>(
    db: &mut Conn,
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
        let goal = goals::by_id(db, goal_id).await?;
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
    let (mut write, _) = Write::in_session(&state, me.id, input.coaching_session_id).await?;
    input.assignee_ids = input.assignee_ids.as_deref().map(dedup);
    let participants = write.participants().clone();
    let fields = checked_fields(write.db(), &input, &participants).await?;
    let count = actions::count_in_session(write.db(), input.coaching_session_id).await?;
    validate::quota("actions", "session", count, validate::ACTIONS_PER_SESSION)?;
    let id = actions::insert(write.db(), input.coaching_session_id, me.id, &fields, Utc::now()).await?;
    let action = actions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::ActionCreated(ActionChanged {
        coaching_session_id: action.coaching_session_id,
        action: action.clone(),
    }));
    notify::action_assigned(&mut write, &action, &action.assignee_ids, me.id).await?;
    write.commit().await?;
    Ok(Json(Envelope::created(action)))
}

/// The action, if `me` takes part in its session.
async fn find(state: &AppState, me: UserId, id: ActionId) -> Result<Action> {
    let mut db = state.db.acquire().await?;
    let action = actions::by_id(&mut db, id).await?.ok_or(Error::NotFound)?;
    access::session(&mut db, me, action.coaching_session_id).await?;
    Ok(action)
}

/// A write on the action's session, with the action as it is inside it.
async fn write_on(state: &AppState, me: UserId, id: ActionId) -> Result<(Write<'_>, Action)> {
    let session = find(state, me, id).await?.coaching_session_id;
    let (mut write, _) = Write::in_session(state, me, session).await?;
    let action = actions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    Ok((write, action))
}

async fn read(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
) -> Result<Json<Envelope<Action>>> {
    Ok(Json(Envelope::ok(find(&state, me.id, id).await?)))
}

async fn replace(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
    if_match: IfMatch,
    Json(mut input): Json<ActionInput>,
) -> Result<Json<Envelope<Action>>> {
    let (mut write, current) = write_on(&state, me.id, id).await?;
    if input.coaching_session_id != current.coaching_session_id {
        return Err(Error::validation("An action cannot be moved to another coaching session."));
    }
    input.assignee_ids = input.assignee_ids.as_deref().map(dedup);
    let participants = write.participants().clone();
    let fields = checked_fields(write.db(), &input, &participants).await?;
    let updated = actions::update(write.db(), id, &fields, input.assignee_ids.is_some(), if_match.edit(me.id)).await?;
    written(updated, &current)?;
    let action = actions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::ActionUpdated(ActionChanged {
        coaching_session_id: action.coaching_session_id,
        action: action.clone(),
    }));
    let newly: Vec<UserId> =
        action.assignee_ids.iter().copied().filter(|person| !current.assignee_ids.contains(person)).collect();
    notify::action_assigned(&mut write, &action, &newly, me.id).await?;
    write.commit().await?;
    Ok(Json(Envelope::ok(action)))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
) -> Result<Json<Deleted<ActionId>>> {
    let (mut write, action) = write_on(&state, me.id, id).await?;
    let relationship = write.participants().relationship_id;
    deleted_items::keep(write.db(), Kind::Action, id.into(), relationship, (&action, &()), me.id, Utc::now()).await?;
    if !actions::delete(write.db(), id).await? {
        return Err(Error::NotFound);
    }
    write.emit(Event::ActionDeleted(ActionDeleted { coaching_session_id: action.coaching_session_id, action_id: id }));
    write.commit().await?;
    Ok(Json(Deleted { id }))
}

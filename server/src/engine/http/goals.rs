//! `/goals`: list per relationship, create, read, replace, delete; at most three in
//! progress per relationship.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Deleted, Envelope, Event, Goal, GoalChanged, GoalDeleted, GoalId, GoalInput, GoalsQuery, ProgressMetrics, Status, UserId,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::deleted_items::{self, GoalLinks, Kind};
use super::super::db::{actions, goal_progress};
use super::super::db::goals::{self, GoalFields};
use super::super::db::relationships::Participants;
use super::super::db::{coaching_sessions, Conn};
use super::super::state::AppState;
use super::super::write::Write;
use super::precondition::{written, IfMatch};
use super::{validate, Json, Path, Query};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/goals", get(list).post(create))
        .route("/goals/{id}", get(read).put(replace).delete(remove))
        .route("/goals/{id}/progress", get(progress))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<GoalsQuery>,
) -> Result<Json<Envelope<Vec<Goal>>>> {
    let mut db = state.db.acquire().await?;
    access::relationship(&mut db, me.id, query.coaching_relationship_id).await?;
    Ok(Json(Envelope::ok(goals::of_relationship(&mut *db, query.coaching_relationship_id, query.status).await?)))
}

/// Validates the input; `goal` is the goal being replaced (None when creating).
async fn checked_fields<'a>(
    db: &mut Conn,
    input: &'a GoalInput,
    participants: &Participants,
    goal: Option<GoalId>,
) -> Result<GoalFields<'a>> {
    let title = validate::title("title", input.title.as_deref())?;
    let body = validate::text("description", input.body.as_deref(), validate::BODY_MAX)?;
    if let Some(session) = input.created_in_session_id {
        let found = coaching_sessions::by_id(&mut *db, session).await?;
        if found.is_none_or(|s| s.coaching_relationship_id != participants.relationship_id) {
            return Err(Error::validation("The session the goal was created in is not part of this relationship."));
        }
    }
    if input.status == Status::InProgress {
        validate::goal_limit(
            participants.relationship_id,
            goals::in_progress(&mut *db, participants.relationship_id, goal).await?,
        )?;
    }
    Ok(GoalFields {
        title,
        body,
        status: input.status,
        target_date: input.target_date,
        created_in_session_id: input.created_in_session_id,
    })
}

async fn create(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<GoalInput>,
) -> Result<Json<Envelope<Goal>>> {
    let mut write = Write::in_relationship(&state, me.id, input.coaching_relationship_id).await?;
    let participants = write.participants().clone();
    let fields = checked_fields(write.db(), &input, &participants, None).await?;
    let relationship = participants.relationship_id;
    let count = goals::count_in_relationship(write.db(), relationship).await?;
    validate::quota("goals", "coaching relationship", count, validate::GOALS_PER_RELATIONSHIP)?;
    let id = goals::insert(write.db(), relationship, me.id, &fields, Utc::now()).await?;
    let goal = goals::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::GoalCreated(GoalChanged { coaching_relationship_id: relationship, goal: goal.clone() }));
    write.commit().await?;
    Ok(Json(Envelope::created(goal)))
}

/// The goal, if `me` takes part in its relationship.
async fn find(state: &AppState, me: UserId, id: GoalId) -> Result<Goal> {
    let mut db = state.db.acquire().await?;
    let goal = goals::by_id(&mut *db, id).await?.ok_or(Error::NotFound)?;
    access::relationship(&mut db, me, goal.coaching_relationship_id).await?;
    Ok(goal)
}

/// A write on the goal's relationship, with the goal as it is inside it.
async fn write_on(state: &AppState, me: UserId, id: GoalId) -> Result<(Write<'_>, Goal)> {
    let relationship = find(state, me, id).await?.coaching_relationship_id;
    let mut write = Write::in_relationship(state, me, relationship).await?;
    let goal = goals::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    Ok((write, goal))
}

async fn read(State(state): State<AppState>, me: CurrentUser, Path(id): Path<GoalId>) -> Result<Json<Envelope<Goal>>> {
    Ok(Json(Envelope::ok(find(&state, me.id, id).await?)))
}

async fn progress(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
) -> Result<Json<Envelope<ProgressMetrics>>> {
    find(&state, me.id, id).await?;
    let mut db = state.db.acquire().await?;
    Ok(Json(Envelope::ok(goal_progress::of_goal(&mut db, id, Utc::now()).await?)))
}

async fn replace(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
    if_match: IfMatch,
    Json(input): Json<GoalInput>,
) -> Result<Json<Envelope<Goal>>> {
    let (mut write, current) = write_on(&state, me.id, id).await?;
    if input.coaching_relationship_id != current.coaching_relationship_id {
        return Err(Error::validation("A goal cannot be moved to another coaching relationship."));
    }
    let participants = write.participants().clone();
    let fields = checked_fields(write.db(), &input, &participants, Some(id)).await?;
    written(goals::update(write.db(), id, &fields, if_match.edit(me.id)).await?, &current)?;
    let goal = goals::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::GoalUpdated(GoalChanged {
        coaching_relationship_id: participants.relationship_id,
        goal: goal.clone(),
    }));
    write.commit().await?;
    Ok(Json(Envelope::ok(goal)))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
) -> Result<Json<Deleted<GoalId>>> {
    let (mut write, goal) = write_on(&state, me.id, id).await?;
    let links = GoalLinks {
        sessions: goals::linked_sessions(write.db(), id).await?,
        actions: actions::ids_of_goal(write.db(), id).await?,
    };
    deleted_items::keep(write.db(), Kind::Goal, id.into(), goal.coaching_relationship_id, (&goal, &links), me.id, Utc::now())
        .await?;
    if !goals::delete(write.db(), id).await? {
        return Err(Error::NotFound);
    }
    write
        .emit(Event::GoalDeleted(GoalDeleted { coaching_relationship_id: goal.coaching_relationship_id, goal_id: id }));
    write.commit().await?;
    Ok(Json(Deleted { id }))
}

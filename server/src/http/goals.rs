//! `/goals`: list per relationship, create, read, replace, delete; at most three in
//! progress per relationship.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use sqlx::SqliteConnection;
use tandem_protocol::{
    Deleted, Envelope, Event, Goal, GoalChanged, GoalDeleted, GoalId, GoalInput, GoalsQuery, Status, UserId,
};

use super::{validate, Json, Path, Query};
use crate::auth::{access, CurrentUser};
use crate::db::goals::{self, GoalFields};
use crate::db::relationships::Participants;
use crate::db::{self, coaching_sessions};
use crate::error::{Error, Result};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/goals", get(list).post(create)).route("/goals/{id}", get(read).put(replace).delete(remove))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<GoalsQuery>,
) -> Result<Json<Envelope<Vec<Goal>>>> {
    access::relationship(&state.db, me.id, query.coaching_relationship_id).await?;
    Ok(Json(Envelope::ok(goals::of_relationship(&state.db, query.coaching_relationship_id, query.status).await?)))
}

/// Validates the input; `goal` is the goal being replaced (None when creating).
async fn checked_fields<'a>(
    db: &mut SqliteConnection,
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
    let participants = access::relationship(&state.db, me.id, input.coaching_relationship_id).await?;
    // IMMEDIATE: the cap check and the write must not interleave with another writer's.
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let fields = checked_fields(&mut tx, &input, &participants, None).await?;
    let count = db::count_where(&mut *tx, "goals", "coaching_relationship_id", participants.relationship_id).await?;
    validate::quota("goals", "coaching relationship", count, validate::GOALS_PER_RELATIONSHIP)?;
    let id = goals::insert(&mut *tx, participants.relationship_id, me.id, &fields, Utc::now()).await?;
    let goal = goals::by_id(&mut *tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::GoalCreated(GoalChanged { coaching_relationship_id: participants.relationship_id, goal: goal.clone() }),
    );
    Ok(Json(Envelope::created(goal)))
}

async fn find(state: &AppState, me: UserId, id: GoalId) -> Result<(Goal, Participants)> {
    let goal = goals::by_id(&state.db, id).await?.ok_or(Error::NotFound)?;
    let participants = access::relationship(&state.db, me, goal.coaching_relationship_id).await?;
    Ok((goal, participants))
}

async fn read(State(state): State<AppState>, me: CurrentUser, Path(id): Path<GoalId>) -> Result<Json<Envelope<Goal>>> {
    Ok(Json(Envelope::ok(find(&state, me.id, id).await?.0)))
}

async fn replace(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
    Json(input): Json<GoalInput>,
) -> Result<Json<Envelope<Goal>>> {
    let (current, participants) = find(&state, me.id, id).await?;
    if input.coaching_relationship_id != current.coaching_relationship_id {
        return Err(Error::validation("A goal cannot be moved to another coaching relationship."));
    }
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let fields = checked_fields(&mut tx, &input, &participants, Some(id)).await?;
    if !goals::update(&mut *tx, id, &fields, Utc::now()).await? {
        return Err(Error::NotFound);
    }
    let goal = goals::by_id(&mut *tx, id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    state.hub.publish(
        &participants.recipients(),
        &Event::GoalUpdated(GoalChanged { coaching_relationship_id: participants.relationship_id, goal: goal.clone() }),
    );
    Ok(Json(Envelope::ok(goal)))
}

async fn remove(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
) -> Result<Json<Deleted<GoalId>>> {
    let (_, participants) = find(&state, me.id, id).await?;
    if !goals::delete(&state.db, id).await? {
        return Err(Error::NotFound);
    }
    state.hub.publish(
        &participants.recipients(),
        &Event::GoalDeleted(GoalDeleted { coaching_relationship_id: participants.relationship_id, goal_id: id }),
    );
    Ok(Json(Deleted { id }))
}

//! `/coaching_sessions/{id}/goals`: the goals worked on in a session. Linking a goal that
//! has not started or is on hold puts it in progress (within the cap of three).

use axum::extract::State;
use axum::routing::{delete, get};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CoachingSessionGoal, CoachingSessionId, Envelope, Event, Goal, GoalChanged, GoalId, LinkGoal, SessionGoalChanged,
    Status, UnlinkedGoal,
};

use super::super::auth::{access, CurrentUser};
use super::super::db::goals;
use super::super::state::AppState;
use super::super::write::Write;
use super::{validate, Json, Path};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/coaching_sessions/{id}/goals", get(list).post(link))
        .route("/coaching_sessions/{id}/goals/{goal_id}", delete(unlink))
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
) -> Result<Json<Envelope<Vec<Goal>>>> {
    let mut db = state.db.acquire().await?;
    access::session(&mut db, me.id, id).await?;
    Ok(Json(Envelope::ok(goals::linked_to(&mut *db, id).await?)))
}

async fn link(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    Json(input): Json<LinkGoal>,
) -> Result<Json<Envelope<CoachingSessionGoal>>> {
    let (mut write, _) = Write::in_session(&state, me.id, id).await?;
    let relationship = write.participants().relationship_id;
    let goal = goals::by_id(write.db(), input.goal_id)
        .await?
        .filter(|goal| goal.coaching_relationship_id == relationship)
        .ok_or_else(|| Error::validation("The goal does not belong to this coaching relationship."))?;
    if goal.status == Status::Completed {
        return Err(Error::validation("A completed goal cannot be linked to a session."));
    }
    if goals::is_linked(write.db(), id, goal.id).await? {
        return Err(Error::Conflict { message: "This goal is already linked to the session.".into(), details: None });
    }
    let promote = matches!(goal.status, Status::NotStarted | Status::OnHold);
    if promote {
        validate::goal_limit(relationship, goals::in_progress(write.db(), relationship, Some(goal.id)).await?)?;
    }
    let now = Utc::now();
    let link = goals::link(write.db(), id, goal.id, now).await?;
    write.emit(Event::CoachingSessionGoalCreated(SessionGoalChanged {
        coaching_relationship_id: relationship,
        coaching_session_id: id,
        goal_id: goal.id,
    }));
    if promote {
        goals::set_status(write.db(), goal.id, Status::InProgress, now).await?;
        let promoted = goals::by_id(write.db(), goal.id).await?.ok_or(Error::NotFound)?;
        write.emit(Event::GoalUpdated(GoalChanged { coaching_relationship_id: relationship, goal: promoted }));
    }
    write.commit().await?;
    Ok(Json(Envelope::created(link)))
}

async fn unlink(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, goal_id)): Path<(CoachingSessionId, GoalId)>,
) -> Result<Json<UnlinkedGoal>> {
    let (mut write, session) = Write::in_session(&state, me.id, id).await?;
    if !goals::unlink(write.db(), id, goal_id).await? {
        return Err(Error::NotFound);
    }
    write.emit(Event::CoachingSessionGoalDeleted(SessionGoalChanged {
        coaching_relationship_id: session.coaching_relationship_id,
        coaching_session_id: id,
        goal_id,
    }));
    write.commit().await?;
    Ok(Json(UnlinkedGoal { goal_id }))
}

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

use super::{validate, Json, Path};
use crate::auth::{access, CurrentUser};
use crate::db::goals;
use crate::error::{Error, Result};
use crate::state::AppState;

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
    access::session(&state.db, me.id, id).await?;
    Ok(Json(Envelope::ok(goals::linked_to(&state.db, id).await?)))
}

async fn link(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<CoachingSessionId>,
    Json(input): Json<LinkGoal>,
) -> Result<Json<Envelope<CoachingSessionGoal>>> {
    let (_, participants) = access::session(&state.db, me.id, id).await?;
    // IMMEDIATE: the cap check and the promotion must not interleave with another writer's.
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let goal = goals::by_id(&mut *tx, input.goal_id)
        .await?
        .filter(|goal| goal.coaching_relationship_id == participants.relationship_id)
        .ok_or_else(|| Error::validation("The goal does not belong to this coaching relationship."))?;
    if goal.status == Status::Completed {
        return Err(Error::validation("A completed goal cannot be linked to a session."));
    }
    if goals::is_linked(&mut *tx, id, goal.id).await? {
        return Err(Error::Conflict { message: "This goal is already linked to the session.".into(), details: None });
    }
    let promote = matches!(goal.status, Status::NotStarted | Status::OnHold);
    if promote {
        validate::goal_limit(
            participants.relationship_id,
            goals::in_progress(&mut *tx, participants.relationship_id, Some(goal.id)).await?,
        )?;
    }
    let now = Utc::now();
    let link = goals::link(&mut *tx, id, goal.id, now).await?;
    if promote {
        goals::set_status(&mut *tx, goal.id, Status::InProgress, now).await?;
    }
    tx.commit().await?;

    let recipients = participants.recipients();
    state.hub.publish(
        &recipients,
        &Event::CoachingSessionGoalCreated(SessionGoalChanged {
            coaching_relationship_id: participants.relationship_id,
            coaching_session_id: id,
            goal_id: goal.id,
        }),
    );
    if promote {
        if let Some(goal) = goals::by_id(&state.db, goal.id).await? {
            state.hub.publish(
                &recipients,
                &Event::GoalUpdated(GoalChanged { coaching_relationship_id: participants.relationship_id, goal }),
            );
        }
    }
    Ok(Json(Envelope::created(link)))
}

async fn unlink(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, goal_id)): Path<(CoachingSessionId, GoalId)>,
) -> Result<Json<UnlinkedGoal>> {
    let (_, participants) = access::session(&state.db, me.id, id).await?;
    if !goals::unlink(&state.db, id, goal_id).await? {
        return Err(Error::NotFound);
    }
    state.hub.publish(
        &participants.recipients(),
        &Event::CoachingSessionGoalDeleted(SessionGoalChanged {
            coaching_relationship_id: participants.relationship_id,
            coaching_session_id: id,
            goal_id,
        }),
    );
    Ok(Json(UnlinkedGoal { goal_id }))
}

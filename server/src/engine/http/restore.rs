//! `POST /actions|agreements|goals/{id}/restore` [extension]: undo of a delete. The item comes
//! back with its id and its links as they were when it was deleted (so a change the other
//! person made before the delete stays), and its events go out as if it were new. Links to
//! what has gone since are left out; an item whose session has gone cannot come back (409).

use axum::extract::State;
use axum::routing::post;
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    Action, ActionChanged, ActionId, Agreement, AgreementChanged, AgreementId, CoachingSessionId, Envelope, Event,
    Goal, GoalChanged, GoalId, SessionGoalChanged, Status, UserId,
};
use uuid::Uuid;

use super::super::auth::CurrentUser;
use super::super::db::deleted_items::{self, GoalLinks, Kept, Kind};
use super::super::db::{actions, coaching_sessions, goals, session_texts};
use super::super::state::AppState;
use super::super::write::Write;
use super::{validate, Json, Path};
use crate::error::{Error, Result};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actions/{id}/restore", post(restore_action))
        .route("/agreements/{id}/restore", post(restore_agreement))
        .route("/goals/{id}/restore", post(restore_goal))
}

/// A write in the relationship of a kept delete, and the delete taken out; 404 when nothing
/// of `kind` with `id` is kept (never deleted, already restored, or forgotten).
async fn take<T, L>(state: &AppState, me: UserId, kind: Kind, id: Uuid) -> Result<(Write<'_>, Kept<T, L>)>
where
    T: serde::de::DeserializeOwned,
    L: serde::de::DeserializeOwned,
{
    let relationship = deleted_items::relationship_of(&state.db, kind, id).await?.ok_or(Error::NotFound)?;
    let mut write = Write::in_relationship(state, me, relationship).await?;
    let kept = deleted_items::take(write.db(), kind, id).await?.ok_or(Error::NotFound)?;
    Ok((write, kept))
}

/// 409 unless `session` still exists.
async fn require_session(write: &mut Write<'_>, session: CoachingSessionId, what: &str) -> Result<()> {
    match coaching_sessions::by_id(write.db(), session).await? {
        Some(_) => Ok(()),
        None => Err(Error::Conflict {
            message: format!("The session this {what} belonged to was deleted, so it cannot come back."),
            details: None,
        }),
    }
}

async fn restore_action(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<ActionId>,
) -> Result<Json<Envelope<Action>>> {
    let (mut write, kept) = take::<Action, ()>(&state, me.id, Kind::Action, id.into()).await?;
    let mut action = kept.item;
    require_session(&mut write, action.coaching_session_id, "action").await?;
    if let Some(goal) = action.goal_id {
        if goals::by_id(write.db(), goal).await?.is_none() {
            action.goal_id = None;
        }
    }
    let assignees: Vec<UserId> =
        action.assignee_ids.iter().copied().filter(|person| write.participants().includes(*person)).collect();
    deleted_items::restore_action(write.db(), &action, &assignees, Utc::now(), me.id).await?;
    let restored = actions::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::ActionCreated(ActionChanged {
        coaching_session_id: restored.coaching_session_id,
        action: restored.clone(),
    }));
    write.commit().await?;
    Ok(Json(Envelope::created(restored)))
}

async fn restore_agreement(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<AgreementId>,
) -> Result<Json<Envelope<Agreement>>> {
    let (mut write, kept) = take::<Agreement, ()>(&state, me.id, Kind::Agreement, id.into()).await?;
    require_session(&mut write, kept.item.coaching_session_id, "agreement").await?;
    deleted_items::restore_agreement(write.db(), &kept.item, Utc::now(), me.id).await?;
    let restored = session_texts::by_id::<Agreement>(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::AgreementCreated(AgreementChanged {
        coaching_session_id: restored.coaching_session_id,
        agreement: restored.clone(),
    }));
    write.commit().await?;
    Ok(Json(Envelope::created(restored)))
}

async fn restore_goal(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<GoalId>,
) -> Result<Json<Envelope<Goal>>> {
    let (mut write, kept) = take::<Goal, GoalLinks>(&state, me.id, Kind::Goal, id.into()).await?;
    let (mut goal, links) = (kept.item, kept.links);
    let relationship = kept.relationship;
    if goal.status == Status::InProgress {
        validate::goal_limit(relationship, goals::in_progress(write.db(), relationship, None).await?)?;
    }
    if let Some(session) = goal.created_in_session_id {
        if coaching_sessions::by_id(write.db(), session).await?.is_none() {
            goal.created_in_session_id = None;
        }
    }
    let now = Utc::now();
    deleted_items::restore_goal(write.db(), &goal, now, me.id).await?;
    let restored = goals::by_id(write.db(), id).await?.ok_or(Error::NotFound)?;
    write.emit(Event::GoalCreated(GoalChanged { coaching_relationship_id: relationship, goal: restored.clone() }));
    for session in links.sessions {
        if coaching_sessions::by_id(write.db(), session).await?.is_some() {
            goals::link(write.db(), session, id, now).await?;
            write.emit(Event::CoachingSessionGoalCreated(SessionGoalChanged {
                coaching_relationship_id: relationship,
                coaching_session_id: session,
                goal_id: id,
            }));
        }
    }
    for action in links.actions {
        if actions::relink_goal(write.db(), action, id).await? {
            if let Some(relinked) = actions::by_id(write.db(), action).await? {
                write.emit(Event::ActionUpdated(ActionChanged {
                    coaching_session_id: relinked.coaching_session_id,
                    action: relinked,
                }));
            }
        }
    }
    write.commit().await?;
    Ok(Json(Envelope::created(restored)))
}

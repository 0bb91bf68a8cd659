//! The relationship's goals on a session page: create, edit, change status, link to this
//! session and unlink. When the server refuses a fourth goal in progress, the panel offers to
//! put one of the three on hold instead (`goal_swap`).

use tandem_protocol::{
    CoachingRelationshipId, CoachingSessionId, Goal, GoalId, GoalInput, Status, UserId, MAX_IN_PROGRESS_GOALS,
};
use yew::prelude::*;

use super::from_notes::{use_picked, Target};

use super::goal_swap::GoalSwap;
use crate::api::{self, resources, ApiError};
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::{non_blank, selected_value, set_text};
use crate::components::goal_progress::GoalProgress;
use crate::components::status::{ErrorMessage, Loading};
use crate::components::undo_toast::{UndoOffer, UndoToast};
use crate::domain::goals::goal_input;
use crate::hooks::{use_mutation, use_resource, use_versioned_edit, Query};
use crate::stores::written;
use crate::time;

/// Props of [`Goals`].
#[derive(Properties, PartialEq)]
pub struct GoalsProps {
    pub session: CoachingSessionId,
    pub relationship: CoachingRelationshipId,
    /// The two people of the relationship, (id, name).
    #[prop_or_default]
    pub people: Vec<(UserId, String)>,
    /// The person's IANA time zone.
    pub zone: AttrValue,
}

/// The goals section.
#[component]
pub fn Goals(props: &GoalsProps) -> Html {
    crate::render_count::count_render();
    let goals = use_resource(resources::goals(props.relationship));
    let linked: Query<Vec<Goal>> = use_resource(resources::session_goals(props.session));
    let title = use_state(String::new);
    let fill = title.setter();
    // A goal's title holds at most 255 characters.
    use_picked(Target::Goal, Callback::from(move |text: String| fill.set(text.chars().take(255).collect())));
    let status = use_state(|| Status::NotStarted);
    let (session, relationship) = (props.session, props.relationship);
    let offer = use_state(|| None::<UndoOffer>);
    let serial = use_mut_ref(|| 0u32);
    // Undo: a deleted goal restored (`Some`), or an unlinked one linked again.
    let undo = use_mutation(
        move |(goal, deleted): (Goal, bool)| async move {
            if deleted {
                api::goals::restore(goal).await
            } else {
                api::goals::link(session, goal.id).await.map(|_| goal)
            }
        },
        move |goal: &Goal| {
            written::goal_saved(goal);
            written::goal_link_changed(relationship, session, goal.id, true);
        },
    );
    // A row's goal was deleted (`true`) or unlinked: offer to take it back.
    let undoable = {
        let (offer, run) = (offer.clone(), undo.run.clone());
        Callback::from(move |(goal, deleted): (Goal, bool)| {
            *serial.borrow_mut() += 1;
            let run = run.clone();
            offer.set(Some(UndoOffer {
                serial: *serial.borrow(),
                message: if deleted { "Goal deleted." } else { "Goal unlinked." }.into(),
                undo: Callback::from(move |()| run.emit((goal.clone(), deleted))),
            }));
        })
    };
    // What was last sent to create, for trying again after putting a goal on hold.
    let last_created = use_mut_ref(|| None::<GoalInput>);
    let create = {
        let title = title.clone();
        use_mutation(
            move |input: GoalInput| async move { api::goals::create(&input).await },
            move |goal: &Goal| {
                written::goal_saved(goal);
                title.set(String::new());
            },
        )
    };
    let onsubmit = {
        let (title, status, run, last) = (title.clone(), status.clone(), create.run.clone(), last_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(text) = non_blank(&title) {
                let input = GoalInput {
                    coaching_relationship_id: relationship,
                    status: *status,
                    title: Some(text),
                    body: None,
                    target_date: None,
                    created_in_session_id: Some(session),
                };
                *last.borrow_mut() = Some(input.clone());
                run.emit(input);
            }
        })
    };
    let create_again = {
        let run = create.run.clone();
        Callback::from(move |()| {
            if let Some(input) = last_created.borrow().clone() {
                run.emit(input);
            }
        })
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = Status::parse(&selected_value(&e)) {
                status.set(s);
            }
        })
    };
    let in_progress = goals.data.as_ref().map(|list| {
        let n = list.iter().filter(|g| g.status == Status::InProgress).count();
        format!("{n}/{MAX_IN_PROGRESS_GOALS} in progress")
    });
    let linked_ids: Vec<GoalId> = linked.data.as_ref().map(|l| l.iter().map(|g| g.id).collect()).unwrap_or_default();
    let list = match (&goals.data, &goals.error) {
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "No goals yet. Name one below; up to three can be in progress at once." }</p> }
        }
        (Some(list), _) => html! {
            <ul class="item-list" data-testid="goals">
                for goal in list.iter() {
                    <GoalRow key={goal.id.to_string()} goal={goal.clone()} {session} linked={linked_ids.contains(&goal.id)} people={props.people.clone()} undoable={undoable.clone()} zone={props.zone.clone()} />
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="goals" /> },
    };
    html! {
        <section class="card" aria-labelledby="goals-title">
            <h2 id="goals-title">{ "Goals" }{ super::panel_count(in_progress) }</h2>
            <p class="muted small">{ "At most three goals can be in progress at once." }</p>
            { list }
            if let Some(error) = &undo.error {
                <ErrorMessage error={error.clone()} />
            }
            if let Some(shown) = (*offer).clone() {
                <UndoToast key={shown.serial} offer={shown.clone()} on_close={Callback::from(move |()| offer.set(None))} />
            }
            <form class="add-form" {onsubmit}>
                <div class="field-row">
                    <div class="field">
                        <label for="new-goal-title">{ "New goal" }</label>
                        <input id="new-goal-title" type="text" maxlength="255" value={(*title).clone()} oninput={set_text(&title)} />
                    </div>
                    <div class="field field-narrow">
                        <label for="new-goal-status">{ "Status" }</label>
                        <select id="new-goal-status" onchange={on_status}>
                            for s in Status::ALL {
                                <option value={s.as_str()} selected={s == *status}>{ s.label() }</option>
                            }
                        </select>
                    </div>
                </div>
                if let Some(error) = &create.error {
                    if let Some(limit) = error.goal_limit() {
                        <GoalSwap {relationship} {limit} wanted={format!("add “{}” in progress", title.trim())} go_on={create_again} />
                    } else {
                        <ErrorMessage error={error.clone()} />
                    }
                }
                <button type="submit" class="button-primary button-auto" disabled={create.pending || title.trim().is_empty()}>{ "Add goal" }</button>
            </form>
        </section>
    }
}

/// A goal in words, for the choice between mine and theirs.
fn described(goal: &Goal) -> String {
    goal.title.clone().unwrap_or_else(|| "Untitled goal".into())
}

#[derive(Properties, PartialEq)]
struct GoalRowProps {
    goal: Goal,
    session: CoachingSessionId,
    linked: bool,
    people: Vec<(UserId, String)>,
    /// It was deleted (`true`) or unlinked (the panel offers Undo).
    undoable: Callback<(Goal, bool)>,
    zone: AttrValue,
}

#[component]
fn GoalRow(props: &GoalRowProps) -> Html {
    crate::render_count::count_render();
    let goal = &props.goal;
    let (id, session, relationship) = (goal.id, props.session, goal.coaching_relationship_id);
    let title = use_state(String::new);
    let target = use_state(String::new);
    let edit = use_versioned_edit(
        goal,
        &props.people,
        described,
        move |input: GoalInput, based_on| async move { api::goals::update(id, &input, based_on).await },
        written::goal_saved,
    );
    // A new status, on the version on screen; should someone have changed the goal a moment
    // before, the status goes onto their version (only the status is this choice's).
    let set_status = use_mutation(
        move |(current, status): (Goal, Status)| async move {
            match api::goals::update(id, &goal_input(&current, status), current.updated_at).await {
                Err(refused) => match refused.stale_write::<Goal>() {
                    Some(stale) => {
                        api::goals::update(id, &goal_input(&stale.current, status), stale.current.updated_at).await
                    }
                    None => Err(refused),
                },
                saved => saved,
            }
        },
        move |goal: &Goal| written::goal_saved(goal),
    );
    let link = use_mutation(
        move |link: bool| async move {
            if link {
                api::goals::link(session, id).await.map(|_| true)
            } else {
                api::goals::unlink(session, id).await.map(|_| false)
            }
        },
        {
            let (held, undoable) = (goal.clone(), props.undoable.clone());
            move |linked: &bool| {
                written::goal_link_changed(relationship, session, id, *linked);
                if !*linked {
                    undoable.emit((held.clone(), false));
                }
            }
        },
    );
    let delete = {
        let (held, undoable) = (goal.clone(), props.undoable.clone());
        use_mutation(
            move |()| async move { api::goals::delete(id).await },
            move |deleted: &GoalId| {
                written::goal_deleted(relationship, *deleted);
                undoable.emit((held.clone(), true));
            },
        )
    };
    let on_status = {
        let (goal, run) = (goal.clone(), set_status.run.clone());
        Callback::from(move |e: Event| {
            if let Some(status) = Status::parse(&selected_value(&e)) {
                run.emit((goal.clone(), status));
            }
        })
    };
    let name = goal.title.clone().unwrap_or_else(|| "Untitled goal".into());
    // A fourth goal in progress refused: offer to put another on hold, then do it again.
    let swap = {
        let (goal, run_status, run_link) = (goal.clone(), set_status.run.clone(), link.run.clone());
        let from_status = set_status.error.as_ref().and_then(ApiError::goal_limit);
        let from_link = link.error.as_ref().and_then(ApiError::goal_limit);
        match (from_status, from_link) {
            (Some(limit), _) => {
                Some((limit, Callback::from(move |()| run_status.emit((goal.clone(), Status::InProgress)))))
            }
            (None, Some(limit)) => Some((limit, Callback::from(move |()| run_link.emit(true)))),
            (None, None) => None,
        }
    };
    let error = edit.error.clone().or(delete.error.clone()).or_else(|| {
        if swap.is_some() {
            None
        } else {
            set_status.error.clone().or(link.error.clone())
        }
    });
    let status_id = format!("goal-status-{id}");
    let content = if edit.editing {
        let onsubmit = {
            let (goal, title, target, submit) = (goal.clone(), title.clone(), target.clone(), edit.submit.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let mut input = goal_input(&goal, goal.status);
                input.title = non_blank(&title);
                input.target_date = time::parse_date(&target);
                submit.emit(input);
            })
        };
        let cancel = edit.cancel.reform(|_: MouseEvent| ());
        html! {
            <form class="edit-form" {onsubmit}>
                { edit.choice }
                <div class="field-row">
                    <div class="field">
                        <label for={format!("goal-title-{id}")}>{ "Goal" }</label>
                        <input id={format!("goal-title-{id}")} type="text" maxlength="255" value={(*title).clone()} oninput={set_text(&title)} />
                    </div>
                    <div class="field field-narrow">
                        <label for={format!("goal-target-{id}")}>{ "Target date" }</label>
                        <input id={format!("goal-target-{id}")} type="date" value={(*target).clone()} oninput={set_text(&target)} />
                    </div>
                </div>
                <div class="row-actions">
                    <button type="submit" class="button-primary button-auto" disabled={edit.pending}>{ "Save goal" }</button>
                    <button type="button" class="button-quiet" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </form>
        }
    } else {
        let open = {
            let (open, title, target, goal) = (edit.open.clone(), title.clone(), target.clone(), goal.clone());
            Callback::from(move |_: MouseEvent| {
                title.set(goal.title.clone().unwrap_or_default());
                target.set(goal.target_date.map(time::date_input).unwrap_or_default());
                open.emit(());
            })
        };
        let toggle_link = link.run.reform({
            let linked = props.linked;
            move |_: MouseEvent| !linked
        });
        html! {
            <>
                <div class="goal-main">
                    <span class="item-text">{ name.clone() }</span>
                    if props.linked {
                        <span class="badge" data-testid="linked-badge">{ "In this session" }</span>
                    }
                </div>
                <p class="meta">
                    if let Some(target) = goal.target_date {
                        <span>{ format!("Target {}", time::format_date(target)) }</span>
                    }
                </p>
                <GoalProgress goal={id} name={name.clone()} zone={props.zone.clone()} />
                <div class="row-actions">
                    <label for={status_id.clone()} class="visually-hidden">{ format!("Status of {name}") }</label>
                    <select id={status_id} onchange={on_status} disabled={set_status.pending}>
                        for s in Status::ALL {
                            <option value={s.as_str()} selected={s == goal.status}>{ s.label() }</option>
                        }
                    </select>
                    <button type="button" class="button-quiet button-small" onclick={toggle_link}
                        disabled={link.pending || (!props.linked && goal.status == Status::Completed)}>
                        { if props.linked { "Unlink from session" } else { "Link to session" } }
                    </button>
                    <button type="button" class="button-quiet button-small" onclick={open} aria-label={format!("Edit goal: {name}")}>{ "Edit" }</button>
                    <ConfirmButton label="Delete" question="Delete this goal?" on_confirm={delete.run.clone()} disabled={delete.pending} />
                </div>
            </>
        }
    };
    html! {
        <li class="item" data-testid="goal">
            { content }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
            if let Some((limit, go_on)) = swap {
                <GoalSwap {relationship} {limit} wanted={format!("start “{name}”")} {go_on} />
            }
        </li>
    }
}

//! The actions of a session: add with body, due date, status, assignees and goal; edit;
//! mark done in one click; delete after confirming, with Undo.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use tandem_protocol::{
    Action, ActionInput, CoachingRelationshipId, CoachingSessionId, GoalId, LoginUser, Status, UserActionsQuery, UserId,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::from_notes::{use_picked, Target};

use crate::api;
use crate::api::resources;
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::{non_blank, selected_value, set_text};
use crate::components::session::deep_link::use_highlight;
use crate::components::session::since::{new_marker, SinceVisit};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::undo_toast::{UndoOffer, UndoToast};
use crate::domain::actions::{due_from, is_overdue, toggled};
use crate::domain::sessions::sessions_around;
use crate::hooks::{use_mutation, use_resource, use_resource_when, use_versioned_edit};
use crate::stores::written;
use crate::time;

/// What the action form produces.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionDraft {
    pub body: String,
    pub due: Option<NaiveDate>,
    pub status: Status,
    pub assignees: Vec<UserId>,
    pub goal: Option<GoalId>,
}

impl ActionDraft {
    /// The request body, due at the end of the chosen day on the person's wall clock.
    pub fn input(&self, session: CoachingSessionId, zone: &str) -> ActionInput {
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN);
        ActionInput {
            coaching_session_id: session,
            status: self.status,
            body: non_blank(&self.body),
            due_by: self.due.map(|day| time::from_local(day.and_time(end_of_day), zone)),
            goal_id: self.goal,
            assignee_ids: Some(self.assignees.clone()),
        }
    }
}

/// Props of [`Actions`].
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub session: CoachingSessionId,
    pub me: LoginUser,
    /// The coach and the coachee, as (id, name).
    pub people: Vec<(UserId, String)>,
    /// The relationship, whose goals an action may be attached to.
    pub relationship: CoachingRelationshipId,
    /// When the session is (naive UTC): the sessions before it hold its "Due" actions.
    pub date: NaiveDateTime,
}

/// The actions section.
#[component]
pub fn Actions(props: &ActionsProps) -> Html {
    crate::render_count::count_render();
    let actions = use_resource(resources::actions(props.session));
    // Rows get only the title of their goal: a goal change re-renders the rows it shows in.
    let goals = use_resource(resources::goals(props.relationship));
    let goal_title = |action: &Action| -> Option<AttrValue> {
        let goal = action.goal_id.and_then(|id| goals.data.as_ref()?.iter().find(|goal| goal.id == id).cloned())?;
        goal.title.map(AttrValue::from)
    };
    let (session, zone) = (props.session, props.me.timezone.clone());
    let form_key = use_state(|| 0u32);
    // Text picked in the notes: the add form opens afresh with it.
    let picked = use_state(|| None::<AttrValue>);
    {
        let (picked, form_key) = (picked.clone(), form_key.clone());
        use_picked(
            Target::Action,
            Callback::from(move |text: String| {
                picked.set(Some(text.into()));
                form_key.set(*form_key + 1);
            }),
        );
    }
    let offer = use_state(|| None::<UndoOffer>);
    let serial = use_mut_ref(|| 0u32);
    let restore = use_mutation(api::actions::restore, written::action_saved);
    // A row's action was deleted: offer to bring it back.
    let deleted = {
        let (offer, run) = (offer.clone(), restore.run.clone());
        Callback::from(move |action: Action| {
            *serial.borrow_mut() += 1;
            let run = run.clone();
            offer.set(Some(UndoOffer {
                serial: *serial.borrow(),
                message: "Action deleted.".into(),
                undo: Callback::from(move |()| run.emit(action.clone())),
            }));
        })
    };
    let add = {
        let (zone, form_key, picked) = (zone.clone(), form_key.clone(), picked.clone());
        use_mutation(
            move |draft: ActionDraft| {
                let input = draft.input(session, &zone);
                async move { api::actions::create(&input).await }
            },
            move |action: &Action| {
                written::action_saved(action);
                form_key.set(*form_key + 1);
                picked.set(None);
            },
        )
    };
    // Due: open actions from earlier sessions, in the lists this reader may read (their own;
    // a coach also the coachee's).
    let around = use_resource(sessions_around(props.relationship, props.date.date()));
    let me_id = props.me.id;
    let coachee = props.people.first().filter(|(coach, _)| *coach == me_id).and(props.people.get(1)).map(|(id, _)| *id);
    let of_relationship = UserActionsQuery { coaching_relationship_id: Some(props.relationship), ..Default::default() };
    let mine = use_resource(resources::user_actions(me_id, of_relationship.clone()));
    let coachees = use_resource_when(coachee.map(|coachee| resources::user_actions(coachee, of_relationship)));
    let earlier: Vec<CoachingSessionId> = around
        .data
        .as_ref()
        .map(|list| list.iter().filter(|s| s.date < props.date && s.id != props.session).map(|s| s.id).collect())
        .unwrap_or_default();
    let lists: Vec<&[Action]> =
        [mine.data.as_deref(), coachees.data.as_deref()].into_iter().flatten().map(|l| l.as_slice()).collect();
    let due = due_from(&lists, &earlier);
    let due_list = (!due.is_empty()).then(|| {
        html! {
            <>
                <h3 class="panel-subtitle">{ "Due" }<span class="muted small">{ " · open, from earlier sessions" }</span></h3>
                <ul class="item-list" data-testid="due-actions">
                    for action in due.iter() {
                        <ActionRow key={action.id.to_string()} action={action.clone()} me={props.me.clone()}
                            people={props.people.clone()} relationship={props.relationship} goal_title={goal_title(action)} deleted={deleted.clone()} />
                    }
                </ul>
                <h3 class="panel-subtitle">{ "New" }<span class="muted small">{ " · made in this session" }</span></h3>
            </>
        }
    });
    let list = match (&actions.data, &actions.error) {
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "No actions made in this session yet: add the first one below." }</p> }
        }
        (Some(list), _) => html! {
            <ul class="item-list" data-testid="actions">
                for action in list.iter() {
                    <ActionRow key={action.id.to_string()} action={action.clone()} me={props.me.clone()}
                        people={props.people.clone()} relationship={props.relationship} goal_title={goal_title(action)} deleted={deleted.clone()} />
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="actions" /> },
    };
    html! {
        <section class="card" aria-labelledby="actions-title">
            <h2 id="actions-title">{ "Actions" }{ super::panel_count(actions.data.as_ref().map(|l| (l.len() + due.len()).to_string())) }</h2>
            { due_list.unwrap_or_default() }
            { list }
            if let Some(error) = &restore.error {
                <ErrorMessage error={error.clone()} />
            }
            if let Some(shown) = (*offer).clone() {
                <UndoToast key={shown.serial} offer={shown.clone()} on_close={Callback::from(move |()| offer.set(None))} />
            }
            <details class="add-details" open={picked.is_some()}>
                <summary>{ "Add an action" }</summary>
                <ActionForm key={*form_key} id_prefix="new-action" initial={None::<Action>} body={(*picked).clone()} me={props.me.clone()}
                    people={props.people.clone()} relationship={props.relationship} on_submit={add.run.clone()}
                    pending={add.pending} submit_label="Add action" />
                if let Some(error) = &add.error {
                    <ErrorMessage error={error.clone()} />
                }
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ActionRowProps {
    action: Action,
    me: LoginUser,
    people: Vec<(UserId, String)>,
    relationship: CoachingRelationshipId,
    /// The title of the action's goal, if it has one.
    goal_title: Option<AttrValue>,
    /// It was deleted (the panel offers Undo).
    deleted: Callback<Action>,
}

#[component]
fn ActionRow(props: &ActionRowProps) -> Html {
    crate::render_count::count_render();
    let since = use_context::<SinceVisit>();
    let action = &props.action;
    let (id, session, zone) = (action.id, action.coaching_session_id, props.me.timezone.clone());
    let node = use_node_ref();
    let highlighted = use_highlight(id, node.clone());
    let edit = use_versioned_edit(
        action,
        &props.people,
        describe,
        move |draft: ActionDraft, based_on| {
            let input = draft.input(session, &zone);
            async move { api::actions::update(id, &input, based_on).await }
        },
        written::action_saved,
    );
    // Done / not done, on the version on screen. Should someone have changed the action a
    // moment before (the event not here yet), the status goes onto their version: only the
    // status is this click's, so nothing of theirs is lost.
    let toggle = use_mutation(
        move |current: Action| async move {
            let input = toggled_input(&current);
            match api::actions::update(id, &input, current.updated_at).await {
                Err(refused) => match refused.stale_write::<Action>() {
                    Some(stale) => {
                        api::actions::update(id, &toggled_input(&stale.current), stale.current.updated_at).await
                    }
                    None => Err(refused),
                },
                saved => saved,
            }
        },
        move |saved: &Action| written::action_saved(saved),
    );
    let delete = {
        let (held, on_deleted) = (action.clone(), props.deleted.clone());
        use_mutation(
            move |()| async move { api::actions::delete(id).await },
            move |deleted: &tandem_protocol::ActionId| {
                written::action_deleted(session, *deleted);
                on_deleted.emit(held.clone());
            },
        )
    };
    let on_toggle = {
        let (action, run) = (action.clone(), toggle.run.clone());
        Callback::from(move |_: Event| run.emit(action.clone()))
    };
    let body = action.body.clone().unwrap_or_else(|| "(no description)".into());
    let done = action.status == Status::Completed;
    let overdue = is_overdue(action, time::now());
    let assignees: Vec<String> =
        props.people.iter().filter(|(id, _)| action.assignee_ids.contains(id)).map(|(_, name)| name.clone()).collect();
    let goal = props.goal_title.clone();
    let error = edit.error.clone().or(toggle.error.clone()).or(delete.error.clone());
    let content = if edit.editing {
        html! {
            <>
                { edit.choice }
                <ActionForm id_prefix={format!("action-{id}")} initial={Some(action.clone())} me={props.me.clone()}
                    people={props.people.clone()} relationship={props.relationship} on_submit={edit.submit.clone()}
                    pending={edit.pending} submit_label="Save action" on_cancel={Some(edit.cancel.clone())} />
            </>
        }
    } else {
        let open = edit.open.reform(|_: MouseEvent| ());
        let check_id = format!("done-{id}");
        html! {
            <>
                <div class="action-main">
                    <input id={check_id.clone()} type="checkbox" checked={done} onchange={on_toggle} disabled={toggle.pending} />
                    <label for={check_id} class={classes!("item-text", done.then_some("done"))}>{ body.clone() }</label>
                    { new_marker(since.as_ref(), action) }
                </div>
                <p class="meta">
                    <span class={classes!("status", format!("status-{}", action.status.as_str()))}>{ action.status.label() }</span>
                    if let Some(due) = action.due_by {
                        <span class={classes!("due", overdue.then_some("overdue"))}>
                            { format!("Due {}", time::format_date(time::to_local(due, &props.me.timezone).date())) }
                            if overdue { { " · overdue" } }
                        </span>
                    }
                    if !assignees.is_empty() {
                        <span>{ format!("For {}", assignees.join(" and ")) }</span>
                    }
                    if let Some(goal) = goal {
                        <span>{ format!("Goal: {goal}") }</span>
                    }
                </p>
                <div class="row-actions">
                    <button type="button" class="button-quiet button-small" onclick={open} aria-label={format!("Edit action: {body}")}>{ "Edit" }</button>
                    <ConfirmButton label="Delete" question="Delete this action?" on_confirm={delete.run.clone()} disabled={delete.pending} />
                </div>
            </>
        }
    };
    html! {
        <li ref={node} class={classes!("item", overdue.then_some("item-overdue"), highlighted.then_some("item-highlight"))} data-testid="action" data-highlighted={highlighted.then_some("true")}>
            { content }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
        </li>
    }
}

/// Props of [`ActionForm`].
#[derive(Properties, PartialEq)]
pub struct ActionFormProps {
    /// Makes the field ids unique on the page.
    pub id_prefix: AttrValue,
    pub initial: Option<Action>,
    /// What a new action says at first (text picked in the notes).
    #[prop_or_default]
    pub body: Option<AttrValue>,
    pub me: LoginUser,
    pub people: Vec<(UserId, String)>,
    /// The relationship whose goals the action may be attached to.
    pub relationship: CoachingRelationshipId,
    pub on_submit: Callback<ActionDraft>,
    pub pending: bool,
    pub submit_label: AttrValue,
    #[prop_or_default]
    pub on_cancel: Option<Callback<()>>,
}

/// The fields of an action.
#[component]
pub fn ActionForm(props: &ActionFormProps) -> Html {
    crate::render_count::count_render();
    let goals = use_resource(resources::goals(props.relationship));
    let initial = props.initial.clone();
    let zone = props.me.timezone.clone();
    let body = use_state(|| {
        initial
            .as_ref()
            .and_then(|a| a.body.clone())
            .or_else(|| props.body.as_ref().map(|b| b.to_string()))
            .unwrap_or_default()
    });
    let due = use_state(|| {
        initial
            .as_ref()
            .and_then(|a| a.due_by)
            .map(|d| time::date_input(time::to_local(d, &zone).date()))
            .unwrap_or_default()
    });
    let status = use_state(|| initial.as_ref().map_or(Status::NotStarted, |a| a.status));
    let me_id = props.me.id;
    let assignees = use_state(|| initial.as_ref().map_or_else(|| vec![me_id], |a| a.assignee_ids.clone()));
    let goal = use_state(|| initial.as_ref().and_then(|a| a.goal_id));
    let problem = use_state(|| None::<&'static str>);
    let p = props.id_prefix.clone();
    let onsubmit = {
        let (body, due, status, assignees, goal, problem, on_submit) = (
            body.clone(),
            due.clone(),
            status.clone(),
            assignees.clone(),
            goal.clone(),
            problem.clone(),
            props.on_submit.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if body.trim().is_empty() {
                problem.set(Some("Describe the action."));
                return;
            }
            let due = if due.is_empty() { None } else { time::parse_date(&due) };
            problem.set(None);
            on_submit.emit(ActionDraft {
                body: (*body).clone(),
                due,
                status: *status,
                assignees: (*assignees).clone(),
                goal: *goal,
            });
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
    let on_goal = {
        let goal = goal.clone();
        Callback::from(move |e: Event| goal.set(selected_value(&e).parse().ok()))
    };
    let assignee_boxes = props.people.iter().map(|(person, name)| {
        let checked = assignees.contains(person);
        let onchange = {
            let (assignees, person) = (assignees.clone(), *person);
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next: Vec<UserId> = assignees.iter().copied().filter(|a| *a != person).collect();
                if on {
                    next.push(person);
                }
                assignees.set(next);
            })
        };
        let field = format!("{p}-assignee-{person}");
        html! {
            <label class="check" for={field.clone()}>
                <input id={field} type="checkbox" {checked} {onchange} />
                { name.clone() }
            </label>
        }
    });
    let cancel = props.on_cancel.clone().map(|cancel| {
        html! { <button type="button" class="button-quiet" onclick={cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button> }
    });
    html! {
        <form class="action-form" {onsubmit} novalidate=true>
            <div class="field">
                <label for={format!("{p}-body")}>{ "What will be done" }</label>
                <textarea id={format!("{p}-body")} rows="2" value={(*body).clone()} oninput={set_text(&body)} />
            </div>
            <div class="field-row">
                <div class="field">
                    <label for={format!("{p}-due")}>{ "Due date" }</label>
                    <input id={format!("{p}-due")} type="date" value={(*due).clone()} oninput={set_text(&due)} />
                </div>
                <div class="field">
                    <label for={format!("{p}-status")}>{ "Status" }</label>
                    <select id={format!("{p}-status")} onchange={on_status}>
                        for s in Status::ALL {
                            <option value={s.as_str()} selected={s == *status}>{ s.label() }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for={format!("{p}-goal")}>{ "Goal (optional)" }</label>
                    <select id={format!("{p}-goal")} onchange={on_goal}>
                        <option value="" selected={goal.is_none()}>{ "No goal" }</option>
                        for g in goals.data.iter().flat_map(|list| list.iter()) {
                            <option value={g.id.to_string()} selected={Some(g.id) == *goal}>{ g.title.clone().unwrap_or_else(|| "Untitled goal".into()) }</option>
                        }
                    </select>
                </div>
            </div>
            <fieldset class="field">
                <legend>{ "Assigned to" }</legend>
                { for assignee_boxes }
            </fieldset>
            if let Some(message) = *problem {
                <p class="field-error" role="alert">{ message }</p>
            }
            <div class="row-actions">
                <button type="submit" class="button-primary button-auto" disabled={props.pending}>{ &props.submit_label }</button>
                { cancel.unwrap_or_default() }
            </div>
        </form>
    }
}

/// The action with its status turned (done / not done), everything else as it is.
fn toggled_input(action: &Action) -> ActionInput {
    ActionInput {
        coaching_session_id: action.coaching_session_id,
        status: toggled(action.status),
        body: action.body.clone(),
        due_by: action.due_by,
        goal_id: action.goal_id,
        assignee_ids: None,
    }
}

/// An action in words, for the choice between mine and theirs.
fn describe(action: &Action) -> String {
    let body = action.body.clone().unwrap_or_else(|| "(no description)".into());
    format!("{body} ({})", action.status.label())
}

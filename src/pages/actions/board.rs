//! The actions as a board: a column per status. A card moves by dragging it to another
//! column (HTML5 drag and drop) or, from the keyboard, with its status select; each move is
//! announced in a live region. A move is shown at once and the server's answer confirms it
//! (per-person lists are filtered by status, so they are fetched again after it).

use std::collections::HashMap;

use tandem_protocol::{Action, ActionId, ActionInput, Status};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::app_link::AppLink;
use crate::components::form::selected_value;
use crate::components::status::ErrorMessage;
use crate::hooks::use_mutation;
use crate::routes::Route;
use crate::stores::written;
use crate::time;

/// The data a dragged card carries.
const DRAG_TYPE: &str = "text/plain";

/// The action with another status, everything else as it is.
pub fn moved_input(action: &Action, status: Status) -> ActionInput {
    ActionInput {
        coaching_session_id: action.coaching_session_id,
        status,
        body: action.body.clone(),
        due_by: action.due_by,
        goal_id: action.goal_id,
        assignee_ids: None,
    }
}

/// The columns, in the order work goes through them.
pub const COLUMNS: [Status; 5] =
    [Status::NotStarted, Status::InProgress, Status::OnHold, Status::Completed, Status::WontDo];

/// The actions of each column, in the order given, with moves not yet confirmed applied.
pub fn columns(actions: &[Action], moving: &HashMap<ActionId, Status>) -> Vec<(Status, Vec<Action>)> {
    COLUMNS
        .into_iter()
        .map(|status| {
            let held = actions.iter().filter(|a| moving.get(&a.id).copied().unwrap_or(a.status) == status).cloned();
            (status, held.collect())
        })
        .collect()
}

/// Props of [`Board`].
#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub actions: Vec<Action>,
    /// The statuses shown (all, or the one the status filter names).
    pub statuses: Vec<Status>,
    pub zone: AttrValue,
    /// Names the board (the person whose actions it holds).
    pub label: AttrValue,
}

/// One person's actions, a column per status.
#[component]
pub fn Board(props: &BoardProps) -> Html {
    crate::render_count::count_render();
    let moving = use_state(HashMap::<ActionId, Status>::new);
    let said = use_state(String::new);
    let over = use_state(|| None::<Status>);
    let save = {
        let (moving, said) = (moving.clone(), said.clone());
        use_mutation(
            |(action, status): (Action, Status)| async move {
                api::actions::update(action.id, &moved_input(&action, status), action.updated_at).await
            },
            move |saved: &Action| {
                written::action_saved(saved);
                let mut still = (*moving).clone();
                still.remove(&saved.id);
                moving.set(still);
                said.set(format!("Moved “{}” to {}.", saved.body.clone().unwrap_or_default(), saved.status.label()));
            },
        )
    };
    // Moves an action: shown at once, then sent.
    let move_to = {
        let (moving, run, actions) = (moving.clone(), save.run.clone(), props.actions.clone());
        Callback::from(move |(id, status): (ActionId, Status)| {
            let Some(action) = actions.iter().find(|a| a.id == id) else { return };
            if moving.get(&id).copied().unwrap_or(action.status) == status {
                return;
            }
            let mut next = (*moving).clone();
            next.insert(id, status);
            moving.set(next);
            run.emit((action.clone(), status));
        })
    };
    // A refused move puts the card back.
    {
        let moving = moving.clone();
        use_effect_with(save.error.is_some(), move |failed| {
            if *failed {
                moving.set(HashMap::new());
            }
        });
    }
    let column = |(status, cards): (Status, Vec<Action>)| {
        let ondragover = {
            let over = over.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                if *over != Some(status) {
                    over.set(Some(status));
                }
            })
        };
        let ondragleave = {
            let over = over.clone();
            Callback::from(move |_: DragEvent| over.set(None))
        };
        let ondrop = {
            let (move_to, over) = (move_to.clone(), over.clone());
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                over.set(None);
                let id = e.data_transfer().and_then(|data| data.get_data(DRAG_TYPE).ok());
                if let Some(id) = id.and_then(|id| id.parse::<ActionId>().ok()) {
                    move_to.emit((id, status));
                }
            })
        };
        let heading = format!("board-{}-{}", props.label.replace(' ', "-"), status.as_str());
        html! {
            <section class={classes!("board-column", (*over == Some(status)).then_some("board-column-over"))}
                aria-labelledby={heading.clone()} data-testid="board-column" data-status={status.as_str()}
                {ondragover} {ondragleave} {ondrop}>
                <h3 id={heading}>{ status.label() }<span class="counts">{ format!(" {}", cards.len()) }</span></h3>
                <ul class="board-cards">
                    for action in cards.iter() {
                        <Card key={action.id.to_string()} action={action.clone()} {status} zone={props.zone.clone()} move_to={move_to.clone()} />
                    }
                </ul>
            </section>
        }
    };
    let shown: Vec<(Status, Vec<Action>)> =
        columns(&props.actions, &moving).into_iter().filter(|(status, _)| props.statuses.contains(status)).collect();
    let error: Option<ApiError> = save.error.clone();
    html! {
        <div class="board-wrap">
            <p class="visually-hidden" aria-live="polite" data-testid="board-announcement">{ (*said).clone() }</p>
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
            <div class="board" data-testid="board" aria-label={props.label.clone()} role="group">
                { for shown.into_iter().map(column) }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    action: Action,
    /// The column it is shown in (its status, or where it is being moved).
    status: Status,
    zone: AttrValue,
    move_to: Callback<(ActionId, Status)>,
}

/// A card: the action, its due date, and its status select (the keyboard's way to move it).
#[component]
fn Card(props: &CardProps) -> Html {
    crate::render_count::count_render();
    let action = &props.action;
    let id = action.id;
    let ondragstart = Callback::from(move |e: DragEvent| {
        if let Some(data) = e.data_transfer() {
            let _ = data.set_data(DRAG_TYPE, &id.to_string());
            data.set_effect_allowed("move");
        }
    });
    let onchange = {
        let move_to = props.move_to.clone();
        Callback::from(move |e: Event| {
            if let Some(status) = Status::parse(&selected_value(&e)) {
                move_to.emit((id, status));
            }
        })
    };
    let body = action.body.clone().unwrap_or_else(|| "(no description)".into());
    let select_id = format!("card-status-{id}");
    html! {
        <li class="board-card" draggable="true" {ondragstart} data-testid="board-card">
            <AppLink to={Route::CoachingSession { id: action.coaching_session_id }} classes="item-text">{ body.clone() }</AppLink>
            if let Some(due) = action.due_by {
                <span class="muted small">{ format!("Due {}", time::format_date(time::to_local(due, &props.zone).date())) }</span>
            }
            <label class="visually-hidden" for={select_id.clone()}>{ format!("Status of “{body}”") }</label>
            <select id={select_id} class="card-status" {onchange}>
                for s in COLUMNS {
                    <option value={s.as_str()} selected={s == props.status}>{ s.label() }</option>
                }
            </select>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{action, S1};

    #[test]
    fn cards_sit_in_their_statuses_column_or_where_they_are_moving() {
        let (a, mut b) = (action(1, S1, "a", 0), action(2, S1, "b", 0));
        b.status = Status::OnHold;
        let moving = HashMap::from([(a.id, Status::Completed)]);
        let held = |status: Status| -> Vec<String> {
            columns(&[a.clone(), b.clone()], &moving)
                .into_iter()
                .find(|(s, _)| *s == status)
                .map(|(_, cards)| cards.into_iter().filter_map(|c| c.body).collect())
                .unwrap_or_default()
        };
        assert_eq!(held(Status::NotStarted), Vec::<String>::new());
        assert_eq!(held(Status::Completed), vec!["a".to_owned()]);
        assert_eq!(held(Status::OnHold), vec!["b".to_owned()]);
        assert_eq!(columns(&[], &HashMap::new()).len(), 5);
    }

    #[test]
    fn a_move_changes_the_status_only() {
        let a = action(1, S1, "a", 0);
        let input = moved_input(&a, Status::WontDo);
        assert_eq!((input.status, input.body.as_deref(), input.due_by), (Status::WontDo, Some("a"), a.due_by));
    }
}

//! `/actions`: every action assigned to the signed-in person, across sessions; filter by
//! status and relationship, sort by due date, overdue ones marked.

use tandem_protocol::{Action, ActionSortField, SortOrder, Status, UserActionsQuery};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::resources;
use crate::components::form::selected_value;
use crate::components::header::relationship_label;
use crate::components::session::actions::is_overdue;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::hooks::use_resource_when;
use crate::hooks::use_workspace::use_workspace;
use crate::routes::Route;
use crate::time;

/// The actions page.
#[component]
pub fn ActionsPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><MyActions /></Shell> }
}

#[component]
fn MyActions() -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    let status = use_state(|| None::<Status>);
    let relationship = use_state(|| None::<tandem_protocol::CoachingRelationshipId>);
    let order = use_state(|| SortOrder::Asc);
    let me = workspace.as_ref().and_then(|w| w.me.clone());
    let filters = UserActionsQuery {
        coaching_relationship_id: *relationship,
        status: *status,
        sort_by: Some(ActionSortField::DueBy),
        sort_order: Some(*order),
    };
    let actions = use_resource_when(me.as_ref().map(|me| resources::user_actions(me.id, filters)));
    let Some(me) = me else { return Html::default() };
    let relationships = workspace.as_ref().and_then(|w| w.relationships.clone()).unwrap_or_default();

    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(Status::parse(&selected_value(&e))))
    };
    let on_relationship = {
        let relationship = relationship.clone();
        Callback::from(move |e: Event| relationship.set(selected_value(&e).parse().ok()))
    };
    let on_order = {
        let order = order.clone();
        Callback::from(move |e: Event| {
            order.set(if selected_value(&e) == "desc" { SortOrder::Desc } else { SortOrder::Asc })
        })
    };
    let now = time::now();
    let list = match (&actions.data, &actions.error) {
        (Some(list), _) if list.is_empty() => html! { <p class="empty">{ "No actions match these filters." }</p> },
        (Some(list), _) => html! {
            <ul class="item-list" data-testid="my-actions">
                for action in list.iter() {
                    <ActionLine key={action.id.to_string()} action={action.clone()} zone={me.timezone.clone()} overdue={is_overdue(action, now)} />
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="your actions" /> },
    };
    html! {
        <>
            <h1>{ "My actions" }</h1>
            <div class="filters card">
                <div class="field">
                    <label for="filter-status">{ "Status" }</label>
                    <select id="filter-status" onchange={on_status}>
                        <option value="" selected={status.is_none()}>{ "Any status" }</option>
                        for s in Status::ALL {
                            <option value={s.as_str()} selected={Some(s) == *status}>{ s.label() }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-relationship">{ "Relationship" }</label>
                    <select id="filter-relationship" onchange={on_relationship}>
                        <option value="" selected={relationship.is_none()}>{ "All relationships" }</option>
                        for r in relationships.iter() {
                            <option value={r.id.to_string()} selected={Some(r.id) == *relationship}>{ relationship_label(r, Some(&me)) }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-order">{ "Due date" }</label>
                    <select id="filter-order" onchange={on_order}>
                        <option value="asc" selected={*order == SortOrder::Asc}>{ "Soonest first" }</option>
                        <option value="desc" selected={*order == SortOrder::Desc}>{ "Latest first" }</option>
                    </select>
                </div>
            </div>
            { list }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ActionLineProps {
    action: Action,
    zone: AttrValue,
    overdue: bool,
}

#[component]
fn ActionLine(props: &ActionLineProps) -> Html {
    crate::render_count::count_render();
    let action = &props.action;
    html! {
        <li class={classes!("item", props.overdue.then_some("item-overdue"))} data-testid="my-action">
            <Link<Route> to={Route::CoachingSession { id: action.coaching_session_id }} classes="item-text">
                { action.body.clone().unwrap_or_else(|| "(no description)".into()) }
            </Link<Route>>
            <p class="meta">
                <span class={classes!("status", format!("status-{}", action.status.as_str()))}>{ action.status.label() }</span>
                if let Some(due) = action.due_by {
                    <span class={classes!("due", props.overdue.then_some("overdue"))}>
                        { format!("Due {}", time::format_date(time::to_local(due, &props.zone).date())) }
                        if props.overdue { { " · overdue" } }
                    </span>
                } else {
                    <span>{ "No due date" }</span>
                }
            </p>
        </li>
    }
}

//! `/actions`: every action assigned to the signed-in person and, for a coach, to each of
//! their coachees (one section each, with open and overdue counts), as a list or a board by
//! status; filter by person, status, due date and relationship, sort by due date, overdue
//! ones marked. The filters and the view live in the address (`filters.rs`).

use tandem_protocol::{Action, ActionSortField, CoachingRelationshipId, SortOrder, Status, UserActionsQuery, UserId};
use yew::prelude::*;
use yew_router::prelude::{use_location, use_navigator};

use crate::api::resources;
use crate::components::app_link::AppLink;
use crate::components::form::selected_value;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::domain::actions::{is_overdue, open_and_overdue};
use crate::domain::relationships::relationship_label;
use crate::hooks::use_resource;
use crate::hooks::use_workspace::use_workspace;
use crate::routes::Route;
use crate::time;

mod board;
mod filters;

use board::{Board, COLUMNS};
use filters::{Due, Filters, View};

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
    let navigator = use_navigator();
    let filters = use_location().map(|l| Filters::parse(l.query_str())).unwrap_or_default();
    let Some(me) = workspace.as_ref().and_then(|w| w.me.clone()) else { return Html::default() };
    let relationships = workspace.as_ref().and_then(|w| w.relationships.clone()).unwrap_or_default();
    // The coachees of the chosen organization whom this person coaches, with the relationship.
    let coachees: Vec<(UserId, String, CoachingRelationshipId)> =
        relationships.iter().filter(|r| r.coach_id == me.id).map(|r| (r.coachee_id, r.coachee_name(), r.id)).collect();
    let is_coach = !coachees.is_empty();
    // On the board every status has its column: the status filter only hides columns.
    let board = filters.view == View::Board;
    let query = |relationship: Option<CoachingRelationshipId>| UserActionsQuery {
        coaching_relationship_id: relationship,
        status: if board { None } else { filters.status },
        sort_by: Some(ActionSortField::DueBy),
        sort_order: Some(filters.order),
    };
    let shows = |person: UserId| filters.person.is_none_or(|only| only == person);
    // Every change of a filter is a change of the address (replaced, so Back leaves the page).
    let change = |write: fn(&mut Filters, String)| {
        let (navigator, filters) = (navigator.clone(), filters.clone());
        Callback::from(move |e: Event| {
            let mut next = filters.clone();
            write(&mut next, selected_value(&e));
            if let Some(navigator) = &navigator {
                let _ = navigator.replace_with_query(&Route::Actions, &next.to_query());
            }
        })
    };
    let on_whose = change(|f, v| f.person = v.parse().ok());
    let on_status = change(|f, v| f.status = Status::parse(&v));
    let on_relationship = change(|f, v| f.relationship = v.parse().ok());
    let on_due = change(|f, v| f.due = Due::parse(&v));
    let on_order = change(|f, v| f.order = if v == "desc" { SortOrder::Desc } else { SortOrder::Asc });
    let on_view = change(|f, v| f.view = if v == "board" { View::Board } else { View::List });
    let zone = AttrValue::from(me.timezone.clone());
    let view = Shown { board, status: filters.status, due: filters.due };
    let lists = if is_coach {
        html! {
            <>
                for (person, name, with) in coachees.iter().filter(|(person, ..)| shows(*person)) {
                    <PersonActions key={person.to_string()} person={*person} filters={query(Some(*with))} {view}
                        heading={AttrValue::from(name.clone())} zone={zone.clone()} />
                }
                if shows(me.id) {
                    <PersonActions key="me" person={me.id} filters={query(None)} {view} heading={AttrValue::from("Assigned to me")} zone={zone.clone()} />
                }
            </>
        }
    } else {
        html! { <PersonActions person={me.id} filters={query(filters.relationship)} {view} zone={zone.clone()} /> }
    };
    let view_choice = |value: &'static str, label: &'static str, chosen: bool| {
        html! {
            <label class="view-choice">
                <input type="radio" name="actions-view" {value} checked={chosen} onchange={on_view.clone()} />
                { label }
            </label>
        }
    };
    html! {
        <>
            <h1>{ if is_coach { "Actions" } else { "My actions" } }</h1>
            if is_coach {
                <p class="lead">{ "Who owes what: your coachees' actions and your own." }</p>
            }
            <div class="filters card">
                <div class="field" role="radiogroup" aria-labelledby="view-label">
                    <span id="view-label" class="label">{ "Show as" }</span>
                    <div class="view-choices">
                        { view_choice("list", "List", !board) }
                        { view_choice("board", "Board", board) }
                    </div>
                </div>
                if is_coach {
                    <div class="field">
                        <label for="filter-person">{ "Person" }</label>
                        <select id="filter-person" onchange={on_whose}>
                            <option value="" selected={filters.person.is_none()}>{ "Everyone" }</option>
                            for (person, name, _) in coachees.iter() {
                                <option value={person.to_string()} selected={filters.person == Some(*person)}>{ name.clone() }</option>
                            }
                            <option value={me.id.to_string()} selected={filters.person == Some(me.id)}>{ "Me" }</option>
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="filter-status">{ "Status" }</label>
                    <select id="filter-status" onchange={on_status}>
                        <option value="" selected={filters.status.is_none()}>{ "Any status" }</option>
                        for s in Status::ALL {
                            <option value={s.as_str()} selected={Some(s) == filters.status}>{ s.label() }</option>
                        }
                    </select>
                </div>
                if !is_coach {
                    <div class="field">
                        <label for="filter-relationship">{ "Relationship" }</label>
                        <select id="filter-relationship" onchange={on_relationship}>
                            <option value="" selected={filters.relationship.is_none()}>{ "All relationships" }</option>
                            for r in relationships.iter() {
                                <option value={r.id.to_string()} selected={Some(r.id) == filters.relationship}>{ relationship_label(r, Some(&me)) }</option>
                            }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="filter-due">{ "Due" }</label>
                    <select id="filter-due" onchange={on_due}>
                        for d in Due::ALL {
                            <option value={d.as_str()} selected={d == filters.due}>{ d.label() }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="filter-order">{ "Due date" }</label>
                    <select id="filter-order" onchange={on_order}>
                        <option value="asc" selected={filters.order == SortOrder::Asc}>{ "Soonest first" }</option>
                        <option value="desc" selected={filters.order == SortOrder::Desc}>{ "Latest first" }</option>
                    </select>
                </div>
            </div>
            { lists }
        </>
    }
}

/// How one person's actions are shown: as a list or a board, and what the page filters on
/// the client.
#[derive(Clone, Copy, PartialEq)]
struct Shown {
    board: bool,
    /// The status filter, which on the board hides columns.
    status: Option<Status>,
    due: Due,
}

/// Props of [`PersonActions`].
#[derive(Properties, PartialEq)]
struct PersonActionsProps {
    person: UserId,
    filters: UserActionsQuery,
    view: Shown,
    /// A heading with the person's counts, when the page shows several people.
    #[prop_or_default]
    heading: Option<AttrValue>,
    zone: AttrValue,
}

/// One person's actions under the page's filters.
#[component]
fn PersonActions(props: &PersonActionsProps) -> Html {
    crate::render_count::count_render();
    let fetched = use_resource(resources::user_actions(props.person, props.filters.clone()));
    let now = time::now();
    let shown: Option<Vec<Action>> =
        fetched.data.as_ref().map(|list| list.iter().filter(|a| props.view.due.keeps(a, now)).cloned().collect());
    let list = match (&shown, &fetched.error) {
        (Some(list), _) if props.view.board => {
            let statuses: Vec<Status> =
                COLUMNS.into_iter().filter(|s| props.view.status.is_none_or(|only| only == *s)).collect();
            let label = props.heading.clone().unwrap_or_else(|| AttrValue::from("My actions"));
            html! { <Board actions={list.clone()} {statuses} zone={props.zone.clone()} {label} /> }
        }
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "No actions match these filters. Try “Any status”, or another person." }</p> }
        }
        (Some(list), _) => html! {
            <ul class="item-list" data-testid="my-actions">
                for action in list.iter() {
                    <ActionLine key={action.id.to_string()} action={action.clone()} zone={props.zone.clone()} overdue={is_overdue(action, now)} />
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="the actions" /> },
    };
    let Some(heading) = &props.heading else { return list };
    let counts = shown.as_ref().map(|list| match open_and_overdue(list, now) {
        (open, 0) => format!("{open} open"),
        (open, n) => format!("{open} open · {n} overdue"),
    });
    html! {
        <section class="card person-actions" data-testid="person-actions" aria-label={heading.clone()}>
            <h2>
                { heading.clone() }
                if let Some(counts) = counts {
                    <span class="counts" data-testid="person-counts">{ counts }</span>
                }
            </h2>
            { list }
        </section>
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
            <AppLink to={Route::CoachingSession { id: action.coaching_session_id }} classes="item-text">
                { action.body.clone().unwrap_or_else(|| "(no description)".into()) }
            </AppLink>
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

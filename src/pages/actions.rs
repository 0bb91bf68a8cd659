//! `/actions`: every action assigned to the signed-in person and, for a coach, to each of
//! their coachees (one section each, with open and overdue counts); filter by person,
//! status and relationship, sort by due date, overdue ones marked.

use chrono::{DateTime, Utc};
use tandem_protocol::{Action, ActionSortField, CoachingRelationshipId, SortOrder, Status, UserActionsQuery, UserId};
use yew::prelude::*;

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

/// The actions page.
#[component]
pub fn ActionsPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><MyActions /></Shell> }
}

/// Which due dates the page shows (the API cannot filter by them: done on the list).
#[derive(Clone, Copy, PartialEq)]
enum Due {
    Any,
    Overdue,
    NextWeek,
    Undated,
}

impl Due {
    const ALL: [Due; 4] = [Due::Any, Due::Overdue, Due::NextWeek, Due::Undated];

    fn as_str(self) -> &'static str {
        match self {
            Due::Any => "any",
            Due::Overdue => "overdue",
            Due::NextWeek => "week",
            Due::Undated => "undated",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Due::Any => "Any due date",
            Due::Overdue => "Overdue",
            Due::NextWeek => "Due in the next 7 days",
            Due::Undated => "No due date",
        }
    }

    /// Whether `action` is shown under this choice at `now`.
    fn keeps(self, action: &Action, now: DateTime<Utc>) -> bool {
        match self {
            Due::Any => true,
            Due::Overdue => is_overdue(action, now),
            Due::NextWeek => action.due_by.is_some_and(|due| due >= now && due < now + chrono::Duration::days(7)),
            Due::Undated => action.due_by.is_none(),
        }
    }
}

/// Whose actions the page shows.
#[derive(Clone, Copy, PartialEq)]
enum Whose {
    /// The person's own and, for a coach, every coachee's.
    Everyone,
    /// One person's: the signed-in person or one of their coachees.
    Only(UserId),
}

#[component]
fn MyActions() -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    let whose = use_state(|| Whose::Everyone);
    let status = use_state(|| None::<Status>);
    let relationship = use_state(|| None::<CoachingRelationshipId>);
    let order = use_state(|| SortOrder::Asc);
    let due = use_state(|| Due::Any);
    let Some(me) = workspace.as_ref().and_then(|w| w.me.clone()) else { return Html::default() };
    let relationships = workspace.as_ref().and_then(|w| w.relationships.clone()).unwrap_or_default();
    // The coachees of the chosen organization whom this person coaches, with the relationship.
    let coachees: Vec<(UserId, String, CoachingRelationshipId)> =
        relationships.iter().filter(|r| r.coach_id == me.id).map(|r| (r.coachee_id, r.coachee_name(), r.id)).collect();
    let is_coach = !coachees.is_empty();
    let filters = |relationship: Option<CoachingRelationshipId>| UserActionsQuery {
        coaching_relationship_id: relationship,
        status: *status,
        sort_by: Some(ActionSortField::DueBy),
        sort_order: Some(*order),
    };
    let shows = |person: UserId| matches!(*whose, Whose::Everyone) || *whose == Whose::Only(person);

    let on_whose = {
        let whose = whose.clone();
        Callback::from(move |e: Event| {
            whose.set(selected_value(&e).parse().map_or(Whose::Everyone, Whose::Only));
        })
    };
    let on_status = {
        let status = status.clone();
        Callback::from(move |e: Event| status.set(Status::parse(&selected_value(&e))))
    };
    let on_relationship = {
        let relationship = relationship.clone();
        Callback::from(move |e: Event| relationship.set(selected_value(&e).parse().ok()))
    };
    let on_due = {
        let due = due.clone();
        Callback::from(move |e: Event| {
            let value = selected_value(&e);
            due.set(Due::ALL.into_iter().find(|d| d.as_str() == value).unwrap_or(Due::Any));
        })
    };
    let on_order = {
        let order = order.clone();
        Callback::from(move |e: Event| {
            order.set(if selected_value(&e) == "desc" { SortOrder::Desc } else { SortOrder::Asc })
        })
    };
    let zone = AttrValue::from(me.timezone.clone());
    let lists = if is_coach {
        html! {
            <>
                for (person, name, with) in coachees.iter().filter(|(person, ..)| shows(*person)) {
                    <PersonActions key={person.to_string()} person={*person} filters={filters(Some(*with))} due={*due}
                        heading={AttrValue::from(name.clone())} zone={zone.clone()} />
                }
                if shows(me.id) {
                    <PersonActions key="me" person={me.id} filters={filters(None)} due={*due} heading={AttrValue::from("Assigned to me")} zone={zone.clone()} />
                }
            </>
        }
    } else {
        html! { <PersonActions person={me.id} filters={filters(*relationship)} due={*due} zone={zone.clone()} /> }
    };
    html! {
        <>
            <h1>{ if is_coach { "Actions" } else { "My actions" } }</h1>
            if is_coach {
                <p class="lead">{ "Who owes what: your coachees' actions and your own." }</p>
            }
            <div class="filters card">
                if is_coach {
                    <div class="field">
                        <label for="filter-person">{ "Person" }</label>
                        <select id="filter-person" onchange={on_whose}>
                            <option value="" selected={*whose == Whose::Everyone}>{ "Everyone" }</option>
                            for (person, name, _) in coachees.iter() {
                                <option value={person.to_string()} selected={*whose == Whose::Only(*person)}>{ name.clone() }</option>
                            }
                            <option value={me.id.to_string()} selected={*whose == Whose::Only(me.id)}>{ "Me" }</option>
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="filter-status">{ "Status" }</label>
                    <select id="filter-status" onchange={on_status}>
                        <option value="" selected={status.is_none()}>{ "Any status" }</option>
                        for s in Status::ALL {
                            <option value={s.as_str()} selected={Some(s) == *status}>{ s.label() }</option>
                        }
                    </select>
                </div>
                if !is_coach {
                    <div class="field">
                        <label for="filter-relationship">{ "Relationship" }</label>
                        <select id="filter-relationship" onchange={on_relationship}>
                            <option value="" selected={relationship.is_none()}>{ "All relationships" }</option>
                            for r in relationships.iter() {
                                <option value={r.id.to_string()} selected={Some(r.id) == *relationship}>{ relationship_label(r, Some(&me)) }</option>
                            }
                        </select>
                    </div>
                }
                <div class="field">
                    <label for="filter-due">{ "Due" }</label>
                    <select id="filter-due" onchange={on_due}>
                        for d in Due::ALL {
                            <option value={d.as_str()} selected={d == *due}>{ d.label() }</option>
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
            { lists }
        </>
    }
}

/// Props of [`PersonActions`].
#[derive(Properties, PartialEq)]
struct PersonActionsProps {
    person: UserId,
    filters: UserActionsQuery,
    due: Due,
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
        fetched.data.as_ref().map(|list| list.iter().filter(|a| props.due.keeps(a, now)).cloned().collect());
    let list = match (&shown, &fetched.error) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{action, at, S1};

    #[test]
    fn the_due_filter_keeps_what_its_name_says() {
        let now = at(0) + chrono::Duration::days(10);
        let dated = |days: i64| {
            let mut a = action(1, S1, "a", 0);
            a.due_by = Some(now + chrono::Duration::days(days));
            a
        };
        let (late, soon, later, undated) = (dated(-1), dated(3), dated(30), action(2, S1, "b", 0));
        let mut done_late = dated(-1);
        done_late.status = Status::Completed;
        let kept = |due: Due| [&late, &soon, &later, &undated, &done_late].iter().filter(|a| due.keeps(a, now)).count();
        assert_eq!(kept(Due::Any), 5);
        assert!(Due::Overdue.keeps(&late, now) && !Due::Overdue.keeps(&done_late, now));
        assert_eq!(kept(Due::Overdue), 1);
        assert!(Due::NextWeek.keeps(&soon, now) && !Due::NextWeek.keeps(&later, now));
        assert_eq!(kept(Due::NextWeek), 1);
        assert!(Due::Undated.keeps(&undated, now));
        assert_eq!(kept(Due::Undated), 1);
    }
}

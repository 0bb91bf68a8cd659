//! `/dashboard`: the chosen relationship's sessions, upcoming and previous, in the person's
//! time zone. The coach schedules, reschedules and deletes sessions here.

use std::rc::Rc;

use chrono::Duration;
use gloo::timers::callback::Timeout;
use serde::{Deserialize, Serialize};
use tandem_protocol::{
    CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionId, CoachingSessionsQuery, LoginUser,
    SessionSortField, SortOrder, UpdateCoachingSession, UserActionsQuery,
};
use yew::prelude::*;
use yew_router::prelude::{use_location, use_navigator};

use crate::api::{self, resources, ApiError};
use crate::components::app_link::AppLink;
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::set_text;
use crate::components::goal_progress::GoalsOverview;
use crate::components::session::overview::SessionState;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::domain::actions::open_and_overdue;
use crate::domain::relationships::relationship_label;
use crate::domain::roles::is_super_admin;
use crate::domain::sessions::session_name;
use crate::hooks::use_workspace::use_workspace;
use crate::hooks::{use_mutation, use_resource};
use crate::routes::Route;
use crate::stores::written;
use crate::time;

mod groups;
mod repeat;
mod schedule;
mod series_edit;

use groups::grouped;

use schedule::NewSession;
use series_edit::SeriesReschedule;

/// The dashboard.
#[component]
pub fn DashboardPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><Dashboard /></Shell> }
}

#[component]
fn Dashboard() -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    use_follow_address(workspace.as_ref());
    let Some(workspace) = workspace else { return Html::default() };
    let Some(me) = workspace.me.clone() else { return Html::default() };
    let body = match (&workspace.relationship, &workspace.error, &workspace.relationships) {
        (Some(relationship), _, _) => html! {
            <Sessions key={relationship.id.to_string()} relationship={relationship.clone()} me={me.clone()} />
        },
        (None, Some(error), _) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None, Some(list)) if list.is_empty() => {
            html! { <p class="empty">{ "You have no coaching relationships yet. An organization admin pairs coaches with coachees: ask yours to add you." }</p> }
        }
        (None, None, _) if workspace.organizations.as_ref().is_some_and(|o| o.is_empty()) => {
            if is_super_admin(&me.roles) {
                html! {
                    <p class="empty">
                        { "There is no organization yet. " }
                        <AppLink to={Route::AdminOrganizations}>{ "Create the first one" }</AppLink>
                        { ", then invite its people from its members page." }
                    </p>
                }
            } else {
                html! { <p class="empty">{ "You are not part of any organization yet. Ask an organization admin to invite you." }</p> }
            }
        }
        _ => html! { <Loading what="your coaching relationships" /> },
    };
    let coached: Vec<CoachingRelationship> =
        workspace.relationships.iter().flat_map(|list| list.iter()).filter(|r| r.coach_id == me.id).cloned().collect();
    html! {
        <>
            <h1 data-testid="welcome">{ format!("Welcome, {}", me.name()) }</h1>
            if coached.len() > 1 {
                <section class="card" aria-labelledby="coachees-title">
                    <h2 id="coachees-title">{ "Your coachees" }</h2>
                    <ul class="glance-list">
                        for r in coached.iter() {
                            <CoacheeGlance key={r.id.to_string()} relationship={r.clone()} me={me.clone()}
                                chosen={workspace.relationship.as_ref().is_some_and(|c| c.id == r.id)}
                                choose={workspace.choose_relationship.clone()} />
                        }
                    </ul>
                </section>
            }
            if !coached.is_empty() {
                <NewSession coached={coached.clone()} shown={workspace.relationship.as_ref().map(|r| r.id)} me={me.clone()}
                    choose={workspace.choose_relationship.clone()} />
            }
            { body }
        </>
    }
}

/// The dashboard's query: the relationship shown (`?rel=`), so a link or a reload shows the
/// same coachee's sessions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DashboardQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

/// Reads the relationship an address names (`rel=<id>`), if it is a well-formed id.
pub fn named_relationship(query: &str) -> Option<CoachingRelationshipId> {
    let query: DashboardQuery = serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default();
    query.rel.and_then(|rel| rel.parse().ok())
}

/// Keeps the address and the shown relationship together: at first the address chooses (when
/// it names one of the person's relationships); then, once it names one or the person shows
/// another relationship here, the address follows what is shown. Landing leaves a plain
/// `/dashboard`.
#[hook]
fn use_follow_address(workspace: Option<&crate::hooks::use_workspace::Workspace>) {
    let named = use_location().and_then(|l| named_relationship(l.query_str()));
    let navigator = use_navigator();
    // The relationship shown on landing, once the lists are known.
    let landed = use_mut_ref(|| None::<Option<CoachingRelationshipId>>);
    let shown = workspace.and_then(|w| w.relationship.as_ref().map(|r| r.id));
    let known: Option<Vec<CoachingRelationshipId>> =
        workspace.and_then(|w| w.relationships.as_ref().map(|list| list.iter().map(|r| r.id).collect()));
    let choose = workspace.map(|w| w.choose_relationship.clone());
    use_effect_with((named, shown, known), move |(named, shown, known)| {
        let Some(known) = known else { return };
        let first = landed.borrow().is_none();
        // Landing is over once a relationship is shown: the workspace may still move from a
        // default organization without one to where the person's relationships are.
        if first && shown.is_none() {
            return;
        }
        if first {
            *landed.borrow_mut() = Some(*shown);
            if let (Some(want), Some(choose)) = (named, choose) {
                if Some(*want) != *shown && known.contains(want) {
                    // After this round of effects: the workspace's own effect, which runs
                    // after this one, would otherwise store what it resolved before it.
                    let want = *want;
                    Timeout::new(0, move || choose.emit(want)).forget();
                    return;
                }
            }
        }
        let moved = *landed.borrow() != Some(*shown);
        if let (Some(shown), Some(navigator)) = (shown, navigator) {
            if (named.is_some() || moved) && *named != Some(*shown) {
                let query = DashboardQuery { rel: Some(shown.to_string()) };
                let _ = navigator.replace_with_query(&Route::Dashboard, &query);
            }
        }
    });
}

/// Props of [`CoacheeGlance`].
#[derive(Properties, PartialEq)]
struct CoacheeGlanceProps {
    relationship: CoachingRelationship,
    me: LoginUser,
    /// Whether the page below shows this relationship.
    chosen: bool,
    choose: Callback<CoachingRelationshipId>,
}

/// One coachee at a glance: their next session, open and overdue actions, and the way to
/// their sessions.
#[component]
fn CoacheeGlance(props: &CoacheeGlanceProps) -> Html {
    crate::render_count::count_render();
    let r = &props.relationship;
    let sessions = use_resource(resources::sessions(sessions_query(r.id)));
    let filters = UserActionsQuery { coaching_relationship_id: Some(r.id), ..Default::default() };
    let actions = use_resource(resources::user_actions(r.coachee_id, filters));
    let now = time::now();
    let next = sessions.data.as_ref().and_then(|list| list.iter().find(|s| !has_ended(s, now.naive_utc())).cloned());
    let next_text = match (&next, &sessions.data) {
        (Some(s), _) => format!("Next: {}", time::format_date_time(time::session_local(s.date, &props.me.timezone))),
        (None, Some(_)) => "No session planned".to_owned(),
        (None, None) => "…".to_owned(),
    };
    let counts = actions.data.as_ref().map(|list| open_and_overdue(list, now));
    let name = r.coachee_name();
    let show = {
        let (choose, id) = (props.choose.clone(), r.id);
        Callback::from(move |_: MouseEvent| choose.emit(id))
    };
    html! {
        <li class={classes!("glance", props.chosen.then_some("glance-chosen"))} data-testid="coachee-glance">
            <span class="glance-name">{ name.clone() }</span>
            <span class="glance-next">{ next_text }</span>
            if let Some((open, overdue)) = counts {
                <span class="glance-actions" data-testid="glance-actions">
                    { format!("{open} open") }
                    if overdue > 0 {
                        <span class="overdue">{ format!(" · {overdue} overdue") }</span>
                    }
                </span>
            }
            if props.chosen {
                <span class="muted small">{ "Shown below" }</span>
            } else {
                <button type="button" class="button-quiet button-small" onclick={show} aria-label={format!("Show sessions with {name}")}>
                    { "Show sessions" }
                </button>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct SessionsProps {
    relationship: CoachingRelationship,
    me: LoginUser,
}

/// A session is upcoming until it has ended.
fn has_ended(session: &CoachingSession, now: chrono::NaiveDateTime) -> bool {
    session.date + Duration::minutes(session.duration_minutes.into()) <= now
}

/// Days of sessions the dashboard asks for on each side of today at first, and how many more
/// each "Show earlier" or "Show later" adds: a year of weekly sessions is not read at once.
pub const WINDOW_DAYS: i64 = 56;

/// The sessions the dashboard lists at first: [`WINDOW_DAYS`] back and ahead, oldest first.
pub fn sessions_query(relationship: CoachingRelationshipId) -> CoachingSessionsQuery {
    window_query(relationship, 0, 0)
}

/// The sessions the dashboard lists after `earlier` "Show earlier" and `later` "Show later".
pub fn window_query(relationship: CoachingRelationshipId, earlier: u32, later: u32) -> CoachingSessionsQuery {
    let today = time::now().date_naive();
    CoachingSessionsQuery {
        coaching_relationship_id: relationship,
        from_date: today - Duration::days(WINDOW_DAYS * (1 + i64::from(earlier))),
        to_date: today + Duration::days(WINDOW_DAYS * (1 + i64::from(later))),
        sort_by: Some(SessionSortField::Date),
        sort_order: Some(SortOrder::Asc),
    }
}

#[component]
fn Sessions(props: &SessionsProps) -> Html {
    crate::render_count::count_render();
    let earlier = use_state(|| 0u32);
    let later = use_state(|| 0u32);
    let query = window_query(props.relationship.id, *earlier, *later);
    let (shown_from, shown_to) = (query.from_date, query.to_date);
    let sessions = use_resource(resources::sessions(query));
    // While a wider window loads, the narrower one stays on screen.
    let last = use_mut_ref(|| None::<Rc<Vec<CoachingSession>>>);
    if let Some(data) = &sessions.data {
        *last.borrow_mut() = Some(data.clone());
    }
    let data = sessions.data.clone().or_else(|| last.borrow().clone());
    let loading_more = sessions.data.is_none() && data.is_some();
    let is_coach = props.relationship.coach_id == props.me.id;
    let now = time::now().naive_utc();
    let today = time::to_local(time::now(), &props.me.timezone).date();
    let more = |state: &UseStateHandle<u32>| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.set(*state + 1))
    };
    let (show_earlier, show_later) = (more(&earlier), more(&later));
    let lists = match (&data, &sessions.error) {
        (Some(list), _) => {
            let upcoming: Vec<CoachingSession> = list.iter().filter(|s| !has_ended(s, now)).cloned().collect();
            let mut previous: Vec<CoachingSession> = list.iter().filter(|s| has_ended(s, now)).cloned().collect();
            previous.reverse();
            let row = |session: &CoachingSession| {
                let series_to_come: Vec<CoachingSessionId> = session
                    .coaching_session_series_id
                    .map(|series| {
                        list.iter()
                            .filter(|s| s.coaching_session_series_id == Some(series) && s.date > now)
                            .map(|s| s.id)
                            .collect()
                    })
                    .unwrap_or_default();
                html! {
                    <SessionRow key={session.id.to_string()} session={session.clone()} relationship={props.relationship.clone()}
                        me={props.me.clone()} {is_coach} {series_to_come} />
                }
            };
            let next_up = upcoming.first().map(|next| {
                let state = SessionState::of(next, time::now());
                let local = time::session_local(next.date, &props.me.timezone);
                let today = local.date() == time::to_local(time::now(), &props.me.timezone).date();
                let badge = match state {
                    SessionState::UnderWay => Some(("pill pill-live", "Under way")),
                    _ if today => Some(("pill pill-scheduled", "Today")),
                    _ => None,
                };
                html! {
                    <section class="card next-up" aria-labelledby="next-up-title" data-testid="next-up">
                        <h2 id="next-up-title">{ "Next session" }</h2>
                        <p class="next-up-line">
                            if let Some((class, text)) = badge {
                                <span class={class}>{ text }</span>
                            }
                            <span class="next-up-name">{ session_name(next, Some(&props.relationship)) }</span>
                            <span class="muted">{ format!("{} · {}", time::format_date_time(local), time::format_duration(next.duration_minutes)) }</span>
                        </p>
                        <AppLink to={Route::CoachingSession { id: next.id }} classes="button-primary button-auto next-up-open">{ "Open the session" }</AppLink>
                    </section>
                }
            });
            let group_lists = |list: &[CoachingSession], today, part: &str| {
                html! {
                    for (index, (group, members)) in grouped(list, today, &props.me.timezone).into_iter().enumerate() {
                        <h3 class="group-title" id={format!("{part}-group-{index}")} data-testid="session-group">
                            { group.label() }<span class="counts">{ format!(" ({})", members.len()) }</span>
                        </h3>
                        <ul class="session-list" aria-labelledby={format!("{part}-group-{index}")}>{ for members.iter().map(row) }</ul>
                    }
                }
            };
            let lists = html! {
                <>
                    if let Some(error) = &sessions.error {
                        <ErrorMessage error={error.clone()} />
                    }
                    <section class="card" aria-labelledby="upcoming-title">
                        <h2 id="upcoming-title">{ "Upcoming" }<span class="counts">{ format!(" ({})", upcoming.len()) }</span></h2>
                        if upcoming.is_empty() {
                            <p class="empty">
                                { format!("No sessions planned until {}. ", time::format_date(shown_to)) }
                                { if is_coach { "Schedule the next one with the form above." } else { "Your coach schedules them; they appear here at once." } }
                            </p>
                        } else {
                            <div data-testid="upcoming-sessions">{ group_lists(&upcoming, today, "upcoming") }</div>
                        }
                        <p class="paging">
                            <span class="muted small">{ format!("Until {}", time::format_date(shown_to)) }</span>
                            <button type="button" class="button-quiet button-small" onclick={show_later} disabled={loading_more}>{ "Show later" }</button>
                        </p>
                    </section>
                    <section class="card" aria-labelledby="previous-title">
                        <h2 id="previous-title">{ "Previous" }<span class="counts">{ format!(" ({})", previous.len()) }</span></h2>
                        if previous.is_empty() {
                            <p class="empty">{ format!("No sessions since {}.", time::format_date(shown_from)) }</p>
                        } else {
                            <div data-testid="previous-sessions">{ group_lists(&previous, today, "previous") }</div>
                        }
                        <p class="paging">
                            <span class="muted small">{ format!("Since {}", time::format_date(shown_from)) }</span>
                            <button type="button" class="button-quiet button-small" onclick={show_earlier} disabled={loading_more}>{ "Show earlier" }</button>
                        </p>
                    </section>
                </>
            };
            (next_up.unwrap_or_default(), lists)
        }
        (None, Some(error)) => (Html::default(), html! { <ErrorMessage error={error.clone()} /> }),
        (None, None) => (Html::default(), html! { <Loading what="sessions" /> }),
    };
    let (next_up, lists) = lists;
    html! {
        <>
            <p class="lead" data-testid="relationship-title">{ relationship_label(&props.relationship, Some(&props.me)) }</p>
            { next_up }
            // After the sessions: its requests do not compete with the page's first answer.
            if data.is_some() {
                <GoalsOverview relationship={props.relationship.id} me={props.me.clone()} />
            }
            { lists }
        </>
    }
}

/// Checks a date-time and a duration typed by a person.
pub fn check_schedule(date: &str, duration: &str) -> Result<(chrono::NaiveDateTime, i32), &'static str> {
    let date = time::from_input(date).ok_or("Choose a date and time.")?;
    let minutes: i32 = duration.trim().parse().map_err(|_| "Enter the duration in minutes.")?;
    if !(1..=480).contains(&minutes) {
        return Err("The duration must be between 1 and 480 minutes.");
    }
    Ok((date, minutes))
}

#[derive(Properties, PartialEq)]
struct SessionRowProps {
    session: CoachingSession,
    relationship: CoachingRelationship,
    me: LoginUser,
    is_coach: bool,
    /// For a session of a series, the series' sessions still to come in the list, which
    /// deleting the series removes.
    series_to_come: Vec<CoachingSessionId>,
}

/// What a reschedule or delete of a session of a series applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    ThisSession,
    WholeSeries,
}

/// A meeting link the page may open: web addresses only (never `javascript:` and the like).
fn joinable(url: Option<&str>) -> Option<&str> {
    url.map(str::trim).filter(|url| url.starts_with("https://") || url.starts_with("http://"))
}

#[component]
fn SessionRow(props: &SessionRowProps) -> Html {
    crate::render_count::count_render();
    let session = &props.session;
    let local = time::session_local(session.date, &props.me.timezone);
    let rescheduling = use_state(|| false);
    let date = use_state(|| time::to_input(local));
    let duration = use_state(|| session.duration_minutes.to_string());
    let problem = use_state(|| None::<&'static str>);
    let relationship = session.coaching_relationship_id;
    let id = session.id;
    let reschedule = {
        let rescheduling = rescheduling.clone();
        use_mutation(
            move |input: UpdateCoachingSession| async move { api::sessions::update(id, &input).await },
            move |_: &()| {
                written::session_rescheduled(relationship, id);
                rescheduling.set(false);
            },
        )
    };
    let delete = use_mutation(
        move |()| async move { api::sessions::delete(id).await },
        move |_: &()| written::session_deleted(relationship, id),
    );
    let scope = use_state(|| Scope::ThisSession);
    let series = session.coaching_session_series_id;
    let delete_series = {
        let to_come = props.series_to_come.clone();
        use_mutation(
            move |series| async move { api::series::delete(series).await },
            move |_: &()| {
                for gone in &to_come {
                    written::session_deleted(relationship, *gone);
                }
            },
        )
    };
    let title = session_name(session, Some(&props.relationship));
    let open = html! {
        <AppLink to={Route::CoachingSession { id }} classes="session-link">
            <span class="session-when">{ time::format_date_time(local) }</span>
            <span class="session-title">
                { title.clone() }
                if series.is_some() {
                    <span class="pill pill-series" data-testid="series-badge">{ "Series" }</span>
                }
            </span>
            <span class="session-duration">{ time::format_duration(session.duration_minutes) }</span>
        </AppLink>
    };
    let join = joinable(session.meeting_url.as_deref()).map(|url| {
        html! {
            <a class="button-quiet button-small" href={url.to_owned()} target="_blank" rel="noopener noreferrer"
                aria-label={format!("Join the meeting of {title}")}>{ "Join" }</a>
        }
    });
    let controls = props.is_coach.then(|| {
        let toggle = {
            let rescheduling = rescheduling.clone();
            Callback::from(move |_: MouseEvent| rescheduling.set(!*rescheduling))
        };
        let delete_label = if series.is_some() { "Delete this session" } else { "Delete" };
        html! {
            <div class="row-actions">
                <button type="button" class="button-quiet button-small" onclick={toggle} aria-expanded={rescheduling.to_string()}>{ "Reschedule" }</button>
                <ConfirmButton label={delete_label} name={format!("{delete_label}: {title}")}
                    question={format!("Delete “{title}”? This cannot be undone.")} on_confirm={delete.run.clone()} disabled={delete.pending} />
                if let Some(series) = series {
                    <ConfirmButton label="Delete series" name={format!("Delete the series of {title}")}
                        question="Delete every session of this series still to come? Past ones stay. This cannot be undone."
                        confirm="Yes, delete the series"
                        on_confirm={delete_series.run.reform(move |()| series)} disabled={delete_series.pending} />
                }
            </div>
        }
    });
    let scope_choice = series.filter(|_| *rescheduling).map(|_| {
        let choose = |to: Scope| {
            let scope = scope.clone();
            Callback::from(move |_: Event| scope.set(to))
        };
        let name = format!("reschedule-scope-{id}");
        html! {
            <div class="scope-choice" role="radiogroup" aria-label="What to reschedule">
                <label><input type="radio" name={name.clone()} checked={*scope == Scope::ThisSession} onchange={choose(Scope::ThisSession)} />{ " This session only" }</label>
                <label><input type="radio" name={name} checked={*scope == Scope::WholeSeries} onchange={choose(Scope::WholeSeries)} />{ " The whole series" }</label>
            </div>
        }
    });
    let series_form = series.filter(|_| *rescheduling && *scope == Scope::WholeSeries).map(|series| {
        let done = {
            let rescheduling = rescheduling.clone();
            Callback::from(move |()| rescheduling.set(false))
        };
        html! { <SeriesReschedule {series} zone={props.me.timezone.clone()} {done} /> }
    });
    let form = (*rescheduling && series_form.is_none()).then(|| {
        let onsubmit = {
            let (date, duration, problem, run, zone) = (date.clone(), duration.clone(), problem.clone(), reschedule.run.clone(), props.me.timezone.clone());
            let session = session.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                match check_schedule(&date, &duration) {
                    Ok((local, minutes)) => {
                        problem.set(None);
                        run.emit(UpdateCoachingSession {
                            date: time::from_local(local, &zone).naive_utc(),
                            duration_minutes: Some(minutes),
                            title: session.title.clone(),
                            meeting_url: session.meeting_url.clone(),
                            provider: session.provider,
                        });
                    }
                    Err(message) => problem.set(Some(message)),
                }
            })
        };
        let (on_date, on_duration) = (set_text(&date), set_text(&duration));
        let date_id = format!("reschedule-date-{id}");
        let duration_id = format!("reschedule-duration-{id}");
        html! {
            <form class="reschedule" {onsubmit} novalidate=true>
                <div class="field">
                    <label for={date_id.clone()}>{ "New date and time" }</label>
                    <input id={date_id} type="datetime-local" value={(*date).clone()} oninput={on_date} />
                </div>
                <div class="field field-narrow">
                    <label for={duration_id.clone()}>{ "Duration (minutes)" }</label>
                    <input id={duration_id} type="number" min="1" max="480" value={(*duration).clone()} oninput={on_duration} />
                </div>
                <button type="submit" class="button-primary button-auto" disabled={reschedule.pending}>{ "Save new time" }</button>
                if let Some(message) = *problem {
                    <p class="field-error" role="alert">{ message }</p>
                }
            </form>
        }
    });
    let error: Option<ApiError> = reschedule.error.clone().or(delete.error.clone()).or(delete_series.error.clone());
    html! {
        <li class="session-row" data-testid="session-row">
            { open }
            { join.unwrap_or_default() }
            { controls.unwrap_or_default() }
            { scope_choice.unwrap_or_default() }
            { series_form.unwrap_or_default() }
            { form.unwrap_or_default() }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_the_relationship_shown() {
        let id = CoachingRelationshipId(uuid::Uuid::from_u128(5));
        assert_eq!(named_relationship(&format!("?rel={id}")), Some(id));
        assert_eq!(named_relationship("rel=someone"), None);
        assert_eq!(named_relationship(""), None);
        assert_eq!(
            serde_urlencoded::to_string(DashboardQuery { rel: Some(id.to_string()) })
                .map(|q| q.starts_with("rel=0000")),
            Ok(true)
        );
    }

    #[test]
    fn schedules_are_checked_before_sending() {
        assert!(check_schedule("2026-12-03T15:30", "45").is_ok());
        assert_eq!(check_schedule("", "45"), Err("Choose a date and time."));
        assert_eq!(check_schedule("2026-12-03T15:30", "x"), Err("Enter the duration in minutes."));
        assert_eq!(check_schedule("2026-12-03T15:30", "481"), Err("The duration must be between 1 and 480 minutes."));
    }
}

//! `/dashboard`: the chosen relationship's sessions, upcoming and previous, in the person's
//! time zone. The coach schedules, reschedules and deletes sessions here.

use chrono::Duration;
use tandem_protocol::{
    CoachingRelationship, CoachingRelationshipId, CoachingSession, CoachingSessionsQuery, LoginUser,
    NewCoachingSession, SessionSortField, SortOrder, UpdateCoachingSession, UserActionsQuery,
};
use yew::prelude::*;
use yewdux::use_selector;

use crate::api::{self, resources, ApiError};
use crate::components::app_link::AppLink;
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::set_text;
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
use crate::stores::auth::AuthStore;
use crate::stores::written;
use crate::time;

/// The dashboard.
#[component]
pub fn DashboardPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><Dashboard /></Shell> }
}

#[component]
fn Dashboard() -> Html {
    crate::render_count::count_render();
    let Some(workspace) = use_workspace() else { return Html::default() };
    let Some(me) = workspace.me.clone() else { return Html::default() };
    let body = match (&workspace.relationship, &workspace.error, &workspace.relationships) {
        (Some(relationship), _, _) => html! {
            <Sessions relationship={relationship.clone()} me={me.clone()} />
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
            { body }
        </>
    }
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

/// The sessions the dashboard lists: a year back and a year ahead of today, oldest first.
pub fn sessions_query(relationship: CoachingRelationshipId) -> CoachingSessionsQuery {
    let today = time::now().date_naive();
    CoachingSessionsQuery {
        coaching_relationship_id: relationship,
        from_date: today - Duration::days(365),
        to_date: today + Duration::days(365),
        sort_by: Some(SessionSortField::Date),
        sort_order: Some(SortOrder::Asc),
    }
}

#[component]
fn Sessions(props: &SessionsProps) -> Html {
    crate::render_count::count_render();
    let sessions = use_resource(resources::sessions(sessions_query(props.relationship.id)));
    let is_coach = props.relationship.coach_id == props.me.id;
    let now = time::now().naive_utc();
    let lists = match (&sessions.data, &sessions.error) {
        (Some(list), _) => {
            let upcoming: Vec<CoachingSession> = list.iter().filter(|s| !has_ended(s, now)).cloned().collect();
            let mut previous: Vec<CoachingSession> = list.iter().filter(|s| has_ended(s, now)).cloned().collect();
            previous.reverse();
            let row = |session: &CoachingSession| {
                html! {
                    <SessionRow key={session.id.to_string()} session={session.clone()} relationship={props.relationship.clone()} me={props.me.clone()} {is_coach} />
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
            let lists = html! {
                <>
                    if let Some(error) = &sessions.error {
                        <ErrorMessage error={error.clone()} />
                    }
                    <section class="card" aria-labelledby="upcoming-title">
                        <h2 id="upcoming-title">{ "Upcoming" }</h2>
                        if upcoming.is_empty() {
                            <p class="empty">
                                { "No upcoming sessions. " }
                                { if is_coach { "Schedule the next one above." } else { "Your coach schedules them; they appear here at once." } }
                            </p>
                        } else {
                            <ul class="session-list" data-testid="upcoming-sessions">{ for upcoming.iter().map(row) }</ul>
                        }
                    </section>
                    <section class="card" aria-labelledby="previous-title">
                        <h2 id="previous-title">{ "Previous" }</h2>
                        if previous.is_empty() {
                            <p class="empty">{ "No previous sessions." }</p>
                        } else {
                            <ul class="session-list" data-testid="previous-sessions">{ for previous.iter().map(row) }</ul>
                        }
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
            if is_coach {
                <NewSession relationship={props.relationship.clone()} me={props.me.clone()} />
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
struct NewSessionProps {
    relationship: CoachingRelationship,
    me: LoginUser,
}

/// The coach's form to schedule a session.
#[component]
fn NewSession(props: &NewSessionProps) -> Html {
    crate::render_count::count_render();
    let date = use_state(String::new);
    // The person's default length, once their profile is read.
    let default_minutes = use_selector(|auth: &AuthStore| auth.session_minutes.unwrap_or(60));
    let duration = use_state(|| default_minutes.to_string());
    {
        let duration = duration.clone();
        use_effect_with(*default_minutes, move |minutes| duration.set(minutes.to_string()));
    }
    let title = use_state(String::new);
    let problem = use_state(|| None::<&'static str>);
    let create = {
        let (date, title) = (date.clone(), title.clone());
        use_mutation(
            |input: NewCoachingSession| async move { api::sessions::create(&input).await },
            move |session: &CoachingSession| {
                written::session_created(session);
                date.set(String::new());
                title.set(String::new());
            },
        )
    };
    let onsubmit = {
        let (date, duration, title, problem, run) =
            (date.clone(), duration.clone(), title.clone(), problem.clone(), create.run.clone());
        let (relationship, zone) = (props.relationship.id, props.me.timezone.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match check_schedule(&date, &duration) {
                Ok((local, minutes)) => {
                    problem.set(None);
                    let title = title.trim();
                    run.emit(NewCoachingSession {
                        coaching_relationship_id: relationship,
                        date: time::from_local(local, &zone).naive_utc(),
                        duration_minutes: Some(minutes),
                        title: (!title.is_empty()).then(|| title.to_owned()),
                        meeting_url: None,
                        provider: None,
                    });
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    html! {
        <form class="card form-inline" onsubmit={onsubmit} aria-labelledby="new-session-title" novalidate=true>
            <h2 id="new-session-title">{ "Schedule a session" }</h2>
            <div class="field-row">
                <div class="field">
                    <label for="new-session-date">{ format!("Date and time ({})", props.me.timezone) }</label>
                    <input id="new-session-date" type="datetime-local" value={(*date).clone()} oninput={set_text(&date)} />
                </div>
                <div class="field field-narrow">
                    <label for="new-session-duration">{ "Duration (minutes)" }</label>
                    <input id="new-session-duration" type="number" min="1" max="480" value={(*duration).clone()} oninput={set_text(&duration)} />
                </div>
                <div class="field">
                    <label for="new-session-title-input">{ "Title (optional)" }</label>
                    <input id="new-session-title-input" type="text" maxlength="255" value={(*title).clone()} oninput={set_text(&title)} />
                </div>
            </div>
            if let Some(message) = *problem {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(error) = &create.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={create.pending}>
                { if create.pending { "Scheduling…" } else { "Schedule session" } }
            </button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct SessionRowProps {
    session: CoachingSession,
    relationship: CoachingRelationship,
    me: LoginUser,
    is_coach: bool,
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
    let title = session_name(session, Some(&props.relationship));
    let open = html! {
        <AppLink to={Route::CoachingSession { id }} classes="session-link">
            <span class="session-when">{ time::format_date_time(local) }</span>
            <span class="session-title">{ title.clone() }</span>
            <span class="session-duration">{ time::format_duration(session.duration_minutes) }</span>
        </AppLink>
    };
    let controls = props.is_coach.then(|| {
        let toggle = {
            let rescheduling = rescheduling.clone();
            Callback::from(move |_: MouseEvent| rescheduling.set(!*rescheduling))
        };
        html! {
            <div class="row-actions">
                <button type="button" class="button-quiet button-small" onclick={toggle} aria-expanded={rescheduling.to_string()}>{ "Reschedule" }</button>
                <ConfirmButton label="Delete" question={format!("Delete “{title}”?")} on_confirm={delete.run.clone()} disabled={delete.pending} />
            </div>
        }
    });
    let form = (*rescheduling).then(|| {
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
    let error: Option<ApiError> = reschedule.error.clone().or(delete.error.clone());
    html! {
        <li class="session-row" data-testid="session-row">
            { open }
            { controls.unwrap_or_default() }
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
    fn schedules_are_checked_before_sending() {
        assert!(check_schedule("2026-12-03T15:30", "45").is_ok());
        assert_eq!(check_schedule("", "45"), Err("Choose a date and time."));
        assert_eq!(check_schedule("2026-12-03T15:30", "x"), Err("Enter the duration in minutes."));
        assert_eq!(check_schedule("2026-12-03T15:30", "481"), Err("The duration must be between 1 and 480 minutes."));
    }
}

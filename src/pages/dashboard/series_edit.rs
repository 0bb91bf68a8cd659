//! Rescheduling a whole series from one of its sessions: the series' rule is read, shown in
//! the repeat fields, and the sessions still to come move to what the coach sets.

use tandem_protocol::{CoachingSessionId, CoachingSessionSeriesId, SeriesUpdate, SeriesWithSessions};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::check_schedule;
use super::repeat::{RepeatDraft, RepeatFields};
use crate::api::{self, ApiError};
use crate::components::form::set_text;
use crate::components::status::{ErrorMessage, Loading};
use crate::hooks::use_mutation;
use crate::stores::written;
use crate::time;

/// Props of [`SeriesReschedule`].
#[derive(Properties, PartialEq)]
pub struct SeriesRescheduleProps {
    pub series: CoachingSessionSeriesId,
    /// The coach's time zone.
    pub zone: AttrValue,
    /// Called once the series moved.
    pub done: Callback<()>,
}

/// The form that moves a series' sessions still to come.
#[component]
pub fn SeriesReschedule(props: &SeriesRescheduleProps) -> Html {
    crate::render_count::count_render();
    let read = use_state(|| None::<Result<SeriesWithSessions, ApiError>>);
    {
        let read = read.clone();
        use_effect_with(props.series, move |id| {
            let id = *id;
            spawn_local(async move { read.set(Some(api::series::read(id).await)) });
        });
    }
    match &*read {
        None => html! { <Loading what="the series" /> },
        Some(Err(error)) => html! { <ErrorMessage error={error.clone()} /> },
        Some(Ok(found)) => html! {
            <SeriesForm found={found.clone()} zone={props.zone.clone()} done={props.done.clone()} />
        },
    }
}

#[derive(Properties, PartialEq)]
struct SeriesFormProps {
    found: SeriesWithSessions,
    zone: AttrValue,
    done: Callback<()>,
}

#[component]
fn SeriesForm(props: &SeriesFormProps) -> Html {
    crate::render_count::count_render();
    let now = time::now().naive_utc();
    let to_come: Vec<CoachingSessionId> = props.found.sessions.iter().filter(|s| s.date > now).map(|s| s.id).collect();
    let next = props.found.sessions.iter().find(|s| s.date > now);
    let id = props.found.series.id;
    let date = use_state(|| next.map(|s| time::to_input(time::session_local(s.date, &props.zone))).unwrap_or_default());
    let duration = use_state(|| props.found.series.duration_minutes.to_string());
    let repeat = use_state(|| RepeatDraft::of(&props.found.series.rule, to_come.len()));
    let problem = use_state(|| None::<&'static str>);
    let save = {
        let done = props.done.clone();
        use_mutation(
            move |input: SeriesUpdate| async move { api::series::reschedule(id, &input).await },
            move |answer: &SeriesWithSessions| {
                // Sessions still to come that the new schedule has no room for were deleted.
                for gone in to_come.iter().filter(|old| !answer.sessions.iter().any(|s| s.id == **old)) {
                    written::session_deleted(answer.series.coaching_relationship_id, *gone);
                }
                written::sessions_saved(&answer.sessions);
                done.emit(());
            },
        )
    };
    let onsubmit = {
        let (date, duration, repeat, problem, run, zone) =
            (date.clone(), duration.clone(), repeat.clone(), problem.clone(), save.run.clone(), props.zone.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let checked = check_schedule(&date, &duration)
                .and_then(|(local, minutes)| repeat.check(local.date()).map(|rule| (local, minutes, rule)));
            match checked {
                Ok((local, minutes, recurrence)) => {
                    problem.set(None);
                    run.emit(SeriesUpdate {
                        start_at: time::from_local(local, &zone).naive_utc(),
                        recurrence,
                        duration_minutes: Some(minutes),
                    });
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    let date_id = format!("series-date-{id}");
    let duration_id = format!("series-duration-{id}");
    html! {
        <form class="reschedule" {onsubmit} novalidate=true data-testid="series-reschedule">
            <p class="muted small">{ "The series' sessions still to come move to this schedule, keeping what was written in them." }</p>
            <div class="field">
                <label for={date_id.clone()}>{ "Next session's date and time" }</label>
                <input id={date_id} type="datetime-local" value={(*date).clone()} oninput={set_text(&date)} />
            </div>
            <div class="field field-narrow">
                <label for={duration_id.clone()}>{ "Duration (minutes)" }</label>
                <input id={duration_id} type="number" min="1" max="480" value={(*duration).clone()} oninput={set_text(&duration)} />
            </div>
            <RepeatFields id={format!("series-repeat-{id}")} draft={repeat.clone()} />
            <button type="submit" class="button-primary button-auto" disabled={save.pending}>{ "Reschedule the series" }</button>
            if let Some(message) = *problem {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(error) = &save.error {
                <ErrorMessage error={error.clone()} />
            }
        </form>
    }
}

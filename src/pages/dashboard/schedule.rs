//! The coach's form to schedule a session, or a recurring series of them ("Repeats"), with
//! any of the people they coach. Times are typed on the coach's clock and sent as naive UTC.

use tandem_protocol::{
    CoachingRelationship, CoachingRelationshipId, CoachingSession, LoginUser, NewCoachingSession, NewSeries,
    SeriesWithSessions,
};
use yew::prelude::*;
use yewdux::use_selector;

use super::check_schedule;
use super::repeat::{RepeatDraft, RepeatFields};
use crate::api;
use crate::components::form::{non_blank, selected_value, set_text};
use crate::components::status::ErrorMessage;
use crate::hooks::use_mutation;
use crate::stores::auth::AuthStore;
use crate::stores::written;
use crate::time;

/// What the form sends: one session or a series.
#[derive(Clone)]
enum Scheduled {
    One(NewCoachingSession),
    Series(NewSeries),
}

/// A meeting link as typed: blank, or a web address.
pub fn check_meeting_url(text: &str) -> Result<Option<String>, &'static str> {
    match non_blank(text) {
        None => Ok(None),
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => Ok(Some(url)),
        Some(_) => Err("The meeting link must be a web address (https://…)."),
    }
}

/// "Scheduled for …" or "Scheduled 6 sessions, … to …", on the coach's clock.
fn scheduled_text(sessions: &[CoachingSession], zone: &str) -> String {
    let when = |s: &CoachingSession| time::format_date_time(time::session_local(s.date, zone));
    match sessions {
        [] => String::new(),
        [one] => format!("Scheduled for {}.", when(one)),
        [first, .., last] => format!("Scheduled {} sessions, {} to {}.", sessions.len(), when(first), when(last)),
    }
}

/// Props of [`NewSession`].
#[derive(Properties, PartialEq)]
pub struct NewSessionProps {
    /// The relationships where the person coaches.
    pub coached: Vec<CoachingRelationship>,
    /// The relationship the page shows, chosen first.
    pub shown: Option<CoachingRelationshipId>,
    pub me: LoginUser,
    /// Shows the relationship a session was scheduled in.
    pub choose: Callback<CoachingRelationshipId>,
}

/// The coach's form to schedule a session or a series.
#[component]
pub fn NewSession(props: &NewSessionProps) -> Html {
    crate::render_count::count_render();
    let first =
        props.shown.filter(|id| props.coached.iter().any(|r| r.id == *id)).or(props.coached.first().map(|r| r.id));
    let coachee = use_state(|| first);
    {
        // Showing another coachee's sessions chooses them here too.
        let coachee = coachee.clone();
        use_effect_with(first, move |first| coachee.set(*first));
    }
    let date = use_state(String::new);
    // The person's default length, once their profile is read.
    let default_minutes = use_selector(|auth: &AuthStore| auth.session_minutes.unwrap_or(60));
    let duration = use_state(|| default_minutes.to_string());
    {
        let duration = duration.clone();
        use_effect_with(*default_minutes, move |minutes| duration.set(minutes.to_string()));
    }
    let title = use_state(String::new);
    let link = use_state(String::new);
    let repeats = use_state(|| false);
    let repeat = use_state(RepeatDraft::default);
    let problem = use_state(|| None::<&'static str>);
    // What was scheduled, said once done (it may lie beyond the dates the list shows).
    let done = use_state(String::new);
    let create = {
        let (date, title, link, choose) = (date.clone(), title.clone(), link.clone(), props.choose.clone());
        let (done, zone) = (done.clone(), props.me.timezone.clone());
        use_mutation(
            |input: Scheduled| async move {
                match input {
                    Scheduled::One(input) => api::sessions::create(&input).await.map(|s| vec![s]),
                    Scheduled::Series(input) => {
                        api::series::create(&input).await.map(|answer: SeriesWithSessions| answer.sessions)
                    }
                }
            },
            move |sessions: &Vec<CoachingSession>| {
                written::sessions_saved(sessions);
                if let Some(first) = sessions.first() {
                    choose.emit(first.coaching_relationship_id);
                }
                done.set(scheduled_text(sessions, &zone));
                date.set(String::new());
                title.set(String::new());
                link.set(String::new());
            },
        )
    };
    let onsubmit = {
        let (date, duration, title, link, problem, run) =
            (date.clone(), duration.clone(), title.clone(), link.clone(), problem.clone(), create.run.clone());
        let (coachee, repeats, repeat, zone) =
            (coachee.clone(), repeats.clone(), repeat.clone(), props.me.timezone.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let checked = (|| {
                let relationship = (*coachee).ok_or("Choose the coachee.")?;
                let (local, minutes) = check_schedule(&date, &duration)?;
                let meeting_url = check_meeting_url(&link)?;
                let start = time::from_local(local, &zone).naive_utc();
                let title = non_blank(&title);
                Ok(if *repeats {
                    Scheduled::Series(NewSeries {
                        coaching_relationship_id: relationship,
                        start_at: start,
                        recurrence: repeat.check(local.date())?,
                        duration_minutes: Some(minutes),
                        title,
                        meeting_url,
                    })
                } else {
                    Scheduled::One(NewCoachingSession {
                        coaching_relationship_id: relationship,
                        date: start,
                        duration_minutes: Some(minutes),
                        title,
                        meeting_url,
                        provider: None,
                    })
                })
            })();
            match checked {
                Ok(input) => {
                    problem.set(None);
                    run.emit(input);
                }
                Err(message) => problem.set(Some(message)),
            }
        })
    };
    let on_coachee = {
        let coachee = coachee.clone();
        Callback::from(move |e: Event| coachee.set(selected_value(&e).parse::<CoachingRelationshipId>().ok()))
    };
    let on_repeats = {
        let repeats = repeats.clone();
        Callback::from(move |_: Event| repeats.set(!*repeats))
    };
    let chosen = (*coachee).map(|id| id.to_string()).unwrap_or_default();
    html! {
        <form class="card form-inline" onsubmit={onsubmit} aria-labelledby="new-session-title" novalidate=true>
            <h2 id="new-session-title">{ "Schedule a session" }</h2>
            <div class="field-row">
                <div class="field">
                    <label for="new-session-coachee">{ "Coachee" }</label>
                    <select id="new-session-coachee" onchange={on_coachee}>
                        for r in props.coached.iter() {
                            <option value={r.id.to_string()} selected={r.id.to_string() == chosen}>{ r.coachee_name() }</option>
                        }
                    </select>
                </div>
                <div class="field">
                    <label for="new-session-date">{ format!("Date and time ({})", props.me.timezone) }</label>
                    <input id="new-session-date" type="datetime-local" value={(*date).clone()} oninput={set_text(&date)} />
                </div>
                <div class="field field-narrow">
                    <label for="new-session-duration">{ "Duration (minutes)" }</label>
                    <input id="new-session-duration" type="number" min="1" max="480" value={(*duration).clone()} oninput={set_text(&duration)} />
                </div>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="new-session-title-input">{ "Title (optional)" }</label>
                    <input id="new-session-title-input" type="text" maxlength="255" value={(*title).clone()} oninput={set_text(&title)} />
                </div>
                <div class="field">
                    <label for="new-session-link">{ "Meeting link (optional)" }</label>
                    <input id="new-session-link" type="url" inputmode="url" placeholder="https://" value={(*link).clone()} oninput={set_text(&link)} />
                </div>
            </div>
            <label class="check" for="new-session-repeats">
                <input id="new-session-repeats" type="checkbox" checked={*repeats} onchange={on_repeats} />
                { "Repeats" }
            </label>
            if *repeats {
                <RepeatFields id="new-session-repeat" draft={repeat.clone()} />
            }
            if let Some(message) = *problem {
                <p class="field-error" role="alert">{ message }</p>
            }
            if let Some(error) = &create.error {
                <ErrorMessage error={error.clone()} />
            }
            <p class="muted small" role="status" data-testid="scheduled">{ (*done).clone() }</p>
            <button type="submit" class="button-primary button-auto" disabled={create.pending}>
                { match (create.pending, *repeats) {
                    (true, _) => "Scheduling…",
                    (false, true) => "Schedule series",
                    (false, false) => "Schedule session",
                } }
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meeting_links_are_web_addresses_or_nothing() {
        assert_eq!(check_meeting_url("  "), Ok(None));
        assert_eq!(check_meeting_url(" https://meet.example/abc "), Ok(Some("https://meet.example/abc".into())));
        assert!(check_meeting_url("javascript:alert(1)").is_err());
    }
}

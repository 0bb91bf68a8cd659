//! How far a goal has come (`GET /goals/{id}/progress`): actions done of all, the sessions
//! it was worked on in, the next action due and the reference's signal. Shown on the session
//! page's goals and on the dashboard; any action or link change asks for it again
//! (`stores::merge`).

use tandem_protocol::{CoachingRelationshipId, GoalId, GoalMomentum, LoginUser, ProgressMetrics, Status};
use yew::prelude::*;

use crate::api::resources;
use crate::components::status::ErrorMessage;
use crate::hooks::use_resource;
use crate::time;

/// Props of [`GoalProgress`].
#[derive(Properties, PartialEq)]
pub struct GoalProgressProps {
    pub goal: GoalId,
    /// The goal's name, for the progress bar's accessible name.
    pub name: AttrValue,
    /// The person's IANA time zone, for the next due date.
    pub zone: AttrValue,
}

/// One goal's progress line. Quiet while it loads, and where the server has no such route.
#[component]
pub fn GoalProgress(props: &GoalProgressProps) -> Html {
    let progress = use_resource(resources::goal_progress(props.goal));
    let Some(metrics) = progress.data.as_deref() else { return Html::default() };
    let (done, total) = (metrics.actions_completed, metrics.actions_total);
    html! {
        <div class="goal-progress" data-testid="goal-progress">
            <progress max={total.max(1).to_string()} value={done.to_string()} aria-label={format!("Actions done for {}", props.name)} />
            <span data-testid="goal-progress-actions">{ actions_done(metrics) }</span>
            <span>{ sessions_worked(metrics.linked_coaching_session_count) }</span>
            if let Some(due) = metrics.next_action_due {
                <span>{ format!("Next due {}", time::format_date(time::to_local(due, &props.zone).date())) }</span>
            }
            <span class={classes!("momentum", momentum_class(metrics.progress))}>{ metrics.progress.label() }</span>
        </div>
    }
}

/// "2 of 5 actions done", "No actions yet".
fn actions_done(metrics: &ProgressMetrics) -> String {
    match (metrics.actions_completed, metrics.actions_total) {
        (_, 0) => "No actions yet".into(),
        (done, 1) => format!("{done} of 1 action done"),
        (done, total) => format!("{done} of {total} actions done"),
    }
}

/// "In 3 sessions", "In no session yet".
fn sessions_worked(count: u32) -> String {
    match count {
        0 => "In no session yet".into(),
        1 => "In 1 session".into(),
        n => format!("In {n} sessions"),
    }
}

fn momentum_class(momentum: GoalMomentum) -> &'static str {
    match momentum {
        GoalMomentum::SolidMomentum => "momentum-solid",
        GoalMomentum::NeedsAttention => "momentum-attention",
        GoalMomentum::LetsRefocus => "momentum-refocus",
    }
}

/// Props of [`GoalsOverview`].
#[derive(Properties, PartialEq)]
pub struct GoalsOverviewProps {
    pub relationship: CoachingRelationshipId,
    pub me: LoginUser,
}

/// The dashboard's card: the relationship's goals in progress, each with its progress.
#[component]
pub fn GoalsOverview(props: &GoalsOverviewProps) -> Html {
    let goals = use_resource(resources::goals(props.relationship));
    let zone: AttrValue = props.me.timezone.clone().into();
    let body = match (&goals.data, &goals.error) {
        (Some(list), _) => {
            let in_progress: Vec<_> = list.iter().filter(|g| g.status == Status::InProgress).collect();
            if in_progress.is_empty() {
                html! { <p class="empty">{ "No goal in progress. Goals are set in a session." }</p> }
            } else {
                html! {
                    <ul class="item-list" data-testid="dashboard-goals">
                        for goal in in_progress {
                            <li class="item" key={goal.id.to_string()} data-testid="dashboard-goal">
                                <span class="item-text">{ goal.title.clone().unwrap_or_else(|| "Untitled goal".into()) }</span>
                                <GoalProgress goal={goal.id} name={goal.title.clone().unwrap_or_default()} zone={zone.clone()} />
                            </li>
                        }
                    </ul>
                }
            }
        }
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => Html::default(),
    };
    html! {
        <section class="card" aria-labelledby="goals-overview-title">
            <h2 id="goals-overview-title">{ "Goals in progress" }</h2>
            { body }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(done: u32, total: u32) -> ProgressMetrics {
        ProgressMetrics {
            progress: GoalMomentum::SolidMomentum,
            actions_completed: done,
            actions_total: total,
            linked_coaching_session_count: 0,
            last_coaching_session_date: None,
            next_action_due: None,
        }
    }

    #[test]
    fn progress_reads_as_words() {
        assert_eq!(actions_done(&metrics(0, 0)), "No actions yet");
        assert_eq!(actions_done(&metrics(1, 1)), "1 of 1 action done");
        assert_eq!(actions_done(&metrics(2, 5)), "2 of 5 actions done");
        assert_eq!(sessions_worked(0), "In no session yet");
        assert_eq!(sessions_worked(1), "In 1 session");
        assert_eq!(sessions_worked(4), "In 4 sessions");
    }
}

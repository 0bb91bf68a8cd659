//! When a fourth goal would go in progress the server refuses (409, naming the three that
//! are). Rather than only saying so, the panel offers to put one of the three on hold and
//! then does what was asked.

use tandem_protocol::{CoachingRelationshipId, Goal, GoalLimitDetails, Status};
use yew::prelude::*;

use crate::api::{self, resources};
use crate::components::status::ErrorMessage;
use crate::domain::goals::goal_input;
use crate::hooks::{use_mutation, use_resource};
use crate::stores::written;

/// Props of [`GoalSwap`].
#[derive(Properties, PartialEq)]
pub struct GoalSwapProps {
    pub relationship: CoachingRelationshipId,
    pub limit: GoalLimitDetails,
    /// What was refused, in words ("start “Speak up in meetings”").
    pub wanted: AttrValue,
    /// Does what was refused again, once one goal is on hold.
    pub go_on: Callback<()>,
}

/// The offer: one button per goal in progress, and Cancel.
#[component]
pub fn GoalSwap(props: &GoalSwapProps) -> Html {
    crate::render_count::count_render();
    // The relationship's goals are on screen already: this reads the cache.
    let goals = use_resource(resources::goals(props.relationship));
    let dismissed = use_state(|| false);
    let hold = {
        let go_on = props.go_on.clone();
        use_mutation(
            move |goal: Goal| async move {
                api::goals::update(goal.id, &goal_input(&goal, Status::OnHold), goal.updated_at).await
            },
            move |held: &Goal| {
                written::goal_saved(held);
                go_on.emit(());
            },
        )
    };
    if *dismissed {
        return Html::default();
    }
    let held_in_cache = |id| goals.data.as_ref().and_then(|list| list.iter().find(|g: &&Goal| g.id == id).cloned());
    let cancel = Callback::from(move |_: MouseEvent| dismissed.set(true));
    html! {
        <div class="goal-swap" role="group" aria-labelledby="goal-swap-title" data-testid="goal-swap">
            <p id="goal-swap-title">
                { format!(
                    "Only {} goals can be in progress at once. Put one of them on hold to {}:",
                    props.limit.max_in_progress_goals, props.wanted
                ) }
            </p>
            <ul class="goal-swap-choices">
                for summary in props.limit.in_progress_goals.iter() {
                    if let Some(goal) = held_in_cache(summary.id) {
                        <li key={summary.id.to_string()}>
                            <button type="button" class="button-secondary button-small" disabled={hold.pending}
                                onclick={hold.run.reform(move |_: MouseEvent| goal.clone())}>
                                { format!("Put “{}” on hold", summary.title.as_deref().unwrap_or("Untitled goal")) }
                            </button>
                        </li>
                    }
                }
            </ul>
            if let Some(error) = &hold.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="button" class="button-quiet button-small" onclick={cancel}>{ "Cancel" }</button>
        </div>
    }
}

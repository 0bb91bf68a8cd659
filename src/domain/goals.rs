//! Writing a goal back: the body of `PUT /goals/{id}` (and of re-creating one) from a goal as
//! held, with the status chosen.

use tandem_protocol::{Goal, GoalInput, Status};

/// The body that writes `goal` back with `status`.
pub fn goal_input(goal: &Goal, status: Status) -> GoalInput {
    GoalInput {
        coaching_relationship_id: goal.coaching_relationship_id,
        status,
        title: goal.title.clone(),
        body: goal.body.clone(),
        target_date: goal.target_date,
        created_in_session_id: goal.created_in_session_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{goal, R1};

    #[test]
    fn a_goal_goes_back_as_it_is_with_the_status_chosen() {
        let held = goal(1, R1, "Speak up", 1);
        let input = goal_input(&held, Status::OnHold);
        assert_eq!(input.status, Status::OnHold);
        assert_eq!((input.title.as_deref(), input.coaching_relationship_id), (Some("Speak up"), R1));
        assert_eq!((input.body, input.target_date), (held.body, held.target_date));
    }
}

//! What an action's status and due date mean, wherever actions are shown: open, overdue,
//! due in a later session.

use chrono::{DateTime, Utc};
use tandem_protocol::{Action, CoachingSessionId, Status};

/// The status a one-click "done" toggle moves an action to.
pub fn toggled(status: Status) -> Status {
    if status == Status::Completed {
        Status::NotStarted
    } else {
        Status::Completed
    }
}

/// Whether an action is still to be done (not completed, not dropped).
pub fn is_open(action: &Action) -> bool {
    matches!(action.status, Status::NotStarted | Status::InProgress | Status::OnHold)
}

/// Whether an action is past its due date and still open.
pub fn is_overdue(action: &Action, now: DateTime<Utc>) -> bool {
    is_open(action) && action.due_by.is_some_and(|due| due < now)
}

/// How many of `actions` are open, and how many of those are overdue at `now`.
pub fn open_and_overdue(actions: &[Action], now: DateTime<Utc>) -> (usize, usize) {
    let open = actions.iter().filter(|a| is_open(a)).count();
    (open, actions.iter().filter(|a| is_overdue(a, now)).count())
}

/// The "Due" actions of a session: the open ones made in `earlier` sessions of the
/// relationship, from each list the reader may see (an action in two lists once), soonest
/// due first and those without a date last.
pub fn due_from(lists: &[&[Action]], earlier: &[CoachingSessionId]) -> Vec<Action> {
    let mut due: Vec<Action> = Vec::new();
    for action in lists.iter().flat_map(|list| list.iter()) {
        if is_open(action) && earlier.contains(&action.coaching_session_id) && !due.iter().any(|a| a.id == action.id) {
            due.push(action.clone());
        }
    }
    due.sort_by_key(|a| (a.due_by.is_none(), a.due_by));
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn done_toggles_between_completed_and_not_started() {
        assert_eq!(toggled(Status::InProgress), Status::Completed);
        assert_eq!(toggled(Status::Completed), Status::NotStarted);
    }

    use crate::stores::fixtures::{action, at, S1, S2};

    #[test]
    fn due_actions_are_the_open_ones_of_earlier_sessions_once_each_soonest_first() {
        let earlier = [S1];
        let mut soon = action(1, S1, "soon", 0);
        soon.due_by = Some(at(10));
        let mut later = action(2, S1, "later", 0);
        later.due_by = Some(at(50));
        let mut undated = action(3, S1, "undated", 0);
        undated.due_by = None;
        let mut done = action(4, S1, "done", 0);
        done.status = Status::Completed;
        let this_session = action(5, S2, "new here", 0);
        let mine = [later.clone(), done, this_session];
        let coachees = [undated.clone(), soon.clone(), later.clone()];
        let due = due_from(&[&mine, &coachees], &earlier);
        let bodies: Vec<_> = due.iter().map(|a| a.body.as_deref().unwrap_or_default()).collect();
        assert_eq!(bodies, ["soon", "later", "undated"]);
    }
}

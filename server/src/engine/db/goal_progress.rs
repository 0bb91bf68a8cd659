//! How far a goal has come (`GET /goals/{id}/progress`): its actions done of total, the
//! sessions it was worked on in, the next due date, and an overall signal.

use chrono::{DateTime, NaiveDateTime, Utc};
use tandem_protocol::{GoalId, GoalMomentum, ProgressMetrics};

use super::Conn;

/// What the signal is computed from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActionCounts {
    pub total: u32,
    pub completed: u32,
    /// Not done (neither completed nor won't do).
    pub open: u32,
    /// Open and past their due date.
    pub overdue: u32,
}

/// The overall signal: most open actions overdue means it is time to talk the goal over;
/// any overdue one that it needs attention; else it moves.
pub fn momentum(counts: ActionCounts) -> GoalMomentum {
    if counts.overdue > 0 && counts.overdue * 2 >= counts.open {
        GoalMomentum::LetsRefocus
    } else if counts.overdue > 0 {
        GoalMomentum::NeedsAttention
    } else {
        GoalMomentum::SolidMomentum
    }
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The goal's progress as of `now`.
pub async fn of_goal(db: &mut Conn, goal: GoalId, now: DateTime<Utc>) -> Result<ProgressMetrics, sqlx::Error> {
    let (total, completed, open, overdue, next_due): (i64, i64, i64, i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT COUNT(*),
                COALESCE(SUM(CASE WHEN status = 'Completed' THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status NOT IN ('Completed', 'WontDo') THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN status NOT IN ('Completed', 'WontDo') AND due_by < $2 THEN 1 ELSE 0 END), 0),
                MIN(CASE WHEN status NOT IN ('Completed', 'WontDo') THEN due_by END)
         FROM actions WHERE goal_id = $1",
    )
    .bind(goal)
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    let (sessions, last): (i64, Option<NaiveDateTime>) = sqlx::query_as(
        "SELECT COUNT(*), MAX(s.date) FROM coaching_session_goals l
         JOIN coaching_sessions s ON s.id = l.coaching_session_id WHERE l.goal_id = $1",
    )
    .bind(goal)
    .fetch_one(&mut *db)
    .await?;
    let counts = ActionCounts { total: count(total), completed: count(completed), open: count(open), overdue: count(overdue) };
    Ok(ProgressMetrics {
        progress: momentum(counts),
        actions_completed: counts.completed,
        actions_total: counts.total,
        linked_coaching_session_count: count(sessions),
        last_coaching_session_date: last,
        next_action_due: next_due,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signal_follows_overdue_actions() {
        let counts = |open, overdue| ActionCounts { total: open + 1, completed: 1, open, overdue };
        assert_eq!(momentum(ActionCounts::default()), GoalMomentum::SolidMomentum);
        assert_eq!(momentum(counts(4, 0)), GoalMomentum::SolidMomentum);
        assert_eq!(momentum(counts(4, 1)), GoalMomentum::NeedsAttention);
        assert_eq!(momentum(counts(4, 2)), GoalMomentum::LetsRefocus);
        assert_eq!(momentum(counts(1, 1)), GoalMomentum::LetsRefocus);
    }
}

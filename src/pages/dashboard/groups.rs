//! The dashboard's sessions in groups a person scans: Today, This week, then by month, each
//! with its count. Days are the person's own (their time zone).

use chrono::{Datelike, NaiveDate};
use tandem_protocol::CoachingSession;

use crate::time;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Where a session is listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Today,
    /// The rest of this week (Monday to Sunday), before or after today.
    ThisWeek,
    /// Year and month (1 to 12).
    Month(i32, u32),
}

impl Group {
    /// The group of a session on `day`, seen on `today`.
    pub fn of(day: NaiveDate, today: NaiveDate) -> Group {
        if day == today {
            Group::Today
        } else if day.iso_week() == today.iso_week() {
            Group::ThisWeek
        } else {
            Group::Month(day.year(), day.month())
        }
    }

    /// "Today", "This week", "March 2027".
    pub fn label(self) -> String {
        match self {
            Group::Today => "Today".into(),
            Group::ThisWeek => "This week".into(),
            Group::Month(year, month) => {
                let name = usize::try_from(month.saturating_sub(1)).ok().and_then(|i| MONTHS.get(i)).copied();
                format!("{} {year}", name.unwrap_or_default())
            }
        }
    }
}

/// `sessions` (in the order shown) in runs of the same group, on `today` in `zone`.
pub fn grouped(sessions: &[CoachingSession], today: NaiveDate, zone: &str) -> Vec<(Group, Vec<CoachingSession>)> {
    let mut groups: Vec<(Group, Vec<CoachingSession>)> = Vec::new();
    for session in sessions {
        let group = Group::of(time::session_local(session.date, zone).date(), today);
        match groups.last_mut() {
            Some((last, members)) if *last == group => members.push(session.clone()),
            _ => groups.push((group, vec![session.clone()])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        time::parse_date(text).expect("a day")
    }

    #[test]
    fn days_fall_into_today_this_week_or_their_month() {
        let today = day("2026-12-09"); // a Wednesday
        assert_eq!(Group::of(today, today), Group::Today);
        assert_eq!(Group::of(day("2026-12-07"), today), Group::ThisWeek); // Monday
        assert_eq!(Group::of(day("2026-12-13"), today), Group::ThisWeek); // Sunday
        assert_eq!(Group::of(day("2026-12-14"), today), Group::Month(2026, 12));
        assert_eq!(Group::of(day("2026-12-06"), today), Group::Month(2026, 12));
        assert_eq!(Group::of(day("2027-01-04"), today), Group::Month(2027, 1));
        assert_eq!(Group::Month(2027, 3).label(), "March 2027");
        assert_eq!(Group::ThisWeek.label(), "This week");
    }

    #[test]
    fn a_week_across_new_year_is_one_week() {
        let today = day("2026-12-31"); // Thursday; its week ends on Sunday 3 January
        assert_eq!(Group::of(day("2027-01-03"), today), Group::ThisWeek);
        assert_eq!(Group::of(day("2027-01-04"), today), Group::Month(2027, 1));
    }

    #[test]
    fn sessions_are_grouped_in_runs() {
        use crate::stores::fixtures::{session, R1, S1};
        let at = |text: &str| {
            let mut s = session(S1, R1, 12, 1, 0);
            s.date = day(text).and_hms_opt(9, 0, 0).expect("a time");
            s
        };
        // Zones are converted by the browser (`Intl`); natively every zone reads as UTC.
        let list = [at("2026-12-09"), at("2026-12-09"), at("2026-12-11"), at("2026-12-20"), at("2027-01-05")];
        let groups: Vec<(Group, usize)> =
            grouped(&list, day("2026-12-09"), "UTC").into_iter().map(|(g, s)| (g, s.len())).collect();
        assert_eq!(
            groups,
            vec![(Group::Today, 2), (Group::ThisWeek, 1), (Group::Month(2026, 12), 1), (Group::Month(2027, 1), 1)]
        );
    }
}

//! The sessions a recurring series makes: every N weeks on chosen weekdays, at the first
//! session's time of day in the coach's zone (so 9:00 stays 9:00 across daylight-saving
//! changes), until a day or for a count.

use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use tandem_protocol::{Recurrence, SERIES_MAX_OCCURRENCES};

/// Why a rule makes no sessions a person would want.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("Repeat every 1 to 52 weeks.")]
    Interval,
    #[error("Choose at least one day of the week.")]
    NoWeekday,
    #[error("End the series either on a date or after a number of sessions, not both and not neither.")]
    End,
    #[error("A series has 1 to {SERIES_MAX_OCCURRENCES} sessions.")]
    Count,
    #[error("The series ends before its first session.")]
    UntilBeforeStart,
    #[error("These days and end make no session.")]
    Empty,
}

/// The start (naive UTC) of each session `rule` makes from `start` (naive UTC) in `zone`.
pub fn occurrences(start: NaiveDateTime, rule: &Recurrence, zone: Tz) -> Result<Vec<NaiveDateTime>, RuleError> {
    if !(1..=52).contains(&rule.interval_weeks) {
        return Err(RuleError::Interval);
    }
    if rule.weekdays.is_empty() {
        return Err(RuleError::NoWeekday);
    }
    let limit = match (rule.until, rule.count) {
        (Some(_), None) => SERIES_MAX_OCCURRENCES,
        (None, Some(count)) if (1..=SERIES_MAX_OCCURRENCES).contains(&count) => count,
        (None, Some(_)) => return Err(RuleError::Count),
        _ => return Err(RuleError::End),
    };
    let local_start = zone.from_utc_datetime(&start).naive_local();
    let (first_day, time) = (local_start.date(), local_start.time());
    if rule.until.is_some_and(|until| until < first_day) {
        return Err(RuleError::UntilBeforeStart);
    }
    let mut offsets: Vec<u32> = rule.weekdays.iter().map(|day| day.num_days_from_monday()).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let first_monday = first_day - Duration::days(i64::from(first_day.weekday().num_days_from_monday()));
    let mut starts = Vec::new();
    for week in 0.. {
        let monday = first_monday + Duration::weeks(i64::from(rule.interval_weeks) * week);
        for offset in &offsets {
            let day = monday + Duration::days(i64::from(*offset));
            if day < first_day {
                continue;
            }
            if rule.until.is_some_and(|until| day > until) {
                return finish(starts);
            }
            if u32::try_from(starts.len()).unwrap_or(u32::MAX) == limit {
                // With an end date, more sessions than a series may hold.
                return if rule.until.is_some() { Err(RuleError::Count) } else { finish(starts) };
            }
            starts.push(utc_of(day.and_time(time), zone));
        }
    }
    finish(starts)
}

fn finish(starts: Vec<NaiveDateTime>) -> Result<Vec<NaiveDateTime>, RuleError> {
    if starts.is_empty() {
        Err(RuleError::Empty)
    } else {
        Ok(starts)
    }
}

/// The UTC moment of a wall-clock time in `zone`: the earlier of an hour that happens twice,
/// the hour after one that is skipped.
fn utc_of(local: NaiveDateTime, zone: Tz) -> NaiveDateTime {
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(local + Duration::hours(1))).earliest())
        .map_or(local, |moment| moment.naive_utc())
}

#[cfg(test)]
mod tests {
    use chrono::Weekday;

    use super::*;

    fn day(text: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn rule(interval_weeks: u32, weekdays: &[Weekday], until: Option<&str>, count: Option<u32>) -> Recurrence {
        Recurrence { interval_weeks, weekdays: weekdays.to_vec(), until: until.map(day), count }
    }

    #[test]
    fn weekly_for_a_count_starts_with_the_first_session() {
        // Tue 8 Dec 2026, 09:00 UTC.
        let starts = occurrences(at("2026-12-08 09:00"), &rule(1, &[Weekday::Tue], None, Some(6)), chrono_tz::UTC);
        let starts = starts.unwrap();
        assert_eq!(starts.len(), 6);
        assert_eq!(starts[0], at("2026-12-08 09:00"));
        assert_eq!(starts[5], at("2027-01-12 09:00"));
    }

    #[test]
    fn every_two_weeks_on_two_days_until_a_date_skips_days_before_the_start() {
        // Wed 9 Dec: Monday of that week is before the start and left out.
        let rule = rule(2, &[Weekday::Mon, Weekday::Wed], Some("2027-01-06"), None);
        let starts = occurrences(at("2026-12-09 15:30"), &rule, chrono_tz::UTC).unwrap();
        let expected =
            ["2026-12-09 15:30", "2026-12-21 15:30", "2026-12-23 15:30", "2027-01-04 15:30", "2027-01-06 15:30"];
        assert_eq!(starts, expected.map(at));
    }

    #[test]
    fn the_time_of_day_stays_in_the_coachs_zone_across_daylight_saving() {
        // 09:00 in Berlin is 08:00 UTC in winter and 07:00 UTC in summer.
        let rule = rule(1, &[Weekday::Mon], Some("2027-04-05"), None);
        let starts = occurrences(at("2027-03-22 08:00"), &rule, chrono_tz::Europe::Berlin).unwrap();
        assert_eq!(starts.first(), Some(&at("2027-03-22 08:00")));
        assert_eq!(starts.last(), Some(&at("2027-04-05 07:00")));
    }

    #[test]
    fn rules_that_make_nothing_sensible_are_refused() {
        let start = at("2026-12-08 09:00");
        let utc = chrono_tz::UTC;
        assert_eq!(occurrences(start, &rule(0, &[Weekday::Tue], None, Some(3)), utc), Err(RuleError::Interval));
        assert_eq!(occurrences(start, &rule(53, &[Weekday::Tue], None, Some(3)), utc), Err(RuleError::Interval));
        assert_eq!(occurrences(start, &rule(1, &[], None, Some(3)), utc), Err(RuleError::NoWeekday));
        assert_eq!(occurrences(start, &rule(1, &[Weekday::Tue], None, None), utc), Err(RuleError::End));
        let both = rule(1, &[Weekday::Tue], Some("2027-01-01"), Some(3));
        assert_eq!(occurrences(start, &both, utc), Err(RuleError::End));
        assert_eq!(occurrences(start, &rule(1, &[Weekday::Tue], None, Some(0)), utc), Err(RuleError::Count));
        assert_eq!(occurrences(start, &rule(1, &[Weekday::Tue], None, Some(500)), utc), Err(RuleError::Count));
        let before = rule(1, &[Weekday::Tue], Some("2026-12-01"), None);
        assert_eq!(occurrences(start, &before, utc), Err(RuleError::UntilBeforeStart));
        let too_many = rule(1, &[Weekday::Mon, Weekday::Thu], Some("2029-01-01"), None);
        assert_eq!(occurrences(start, &too_many, utc), Err(RuleError::Count));
        // Only a Monday, ending on the Tuesday start's own day: nothing.
        let none = rule(1, &[Weekday::Mon], Some("2026-12-08"), None);
        assert_eq!(occurrences(start, &none, utc), Err(RuleError::Empty));
        // Exactly the most a series holds.
        let most = occurrences(start, &rule(1, &[Weekday::Tue], None, Some(SERIES_MAX_OCCURRENCES)), utc);
        assert_eq!(most.map(|starts| starts.len()), Ok(SERIES_MAX_OCCURRENCES as usize));
    }
}

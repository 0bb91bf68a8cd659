//! The "Repeats" part of scheduling: every N weeks on chosen weekdays, until a day or for a
//! number of sessions. What the coach typed is checked here before it is sent, with the
//! server's own limits, so a mistake is named beside the field instead of as a 422.

use chrono::{NaiveDate, Weekday};
use tandem_protocol::{Recurrence, SERIES_MAX_OCCURRENCES};
use yew::prelude::*;

use crate::components::form::field_text;
use crate::time;

/// The days of the week, Monday first, with their names.
const DAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "Mon"),
    (Weekday::Tue, "Tue"),
    (Weekday::Wed, "Wed"),
    (Weekday::Thu, "Thu"),
    (Weekday::Fri, "Fri"),
    (Weekday::Sat, "Sat"),
    (Weekday::Sun, "Sun"),
];

/// How a series ends, as chosen in the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ends {
    /// After a number of sessions.
    Count,
    /// On a day.
    Until,
}

/// The repeat fields as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatDraft {
    pub every_weeks: String,
    pub weekdays: Vec<Weekday>,
    pub ends: Ends,
    pub count: String,
    pub until: String,
}

impl Default for RepeatDraft {
    fn default() -> Self {
        Self {
            every_weeks: "1".into(),
            weekdays: Vec::new(),
            ends: Ends::Count,
            count: "6".into(),
            until: String::new(),
        }
    }
}

impl RepeatDraft {
    /// The draft showing an existing rule (rescheduling a series), with `remaining` sessions
    /// when it ends after a count (the new schedule starts at the next session).
    pub fn of(rule: &Recurrence, remaining: usize) -> Self {
        Self {
            every_weeks: rule.interval_weeks.to_string(),
            weekdays: rule.weekdays.clone(),
            ends: if rule.until.is_some() { Ends::Until } else { Ends::Count },
            count: remaining.max(1).to_string(),
            until: rule.until.map(time::date_input).unwrap_or_default(),
        }
    }

    /// The rule, for a series whose first session is on `first_day` (the coach's day); the
    /// day of the first session counts as chosen when no day is.
    pub fn check(&self, first_day: NaiveDate) -> Result<Recurrence, &'static str> {
        use chrono::Datelike;
        let interval_weeks: u32 = self.every_weeks.trim().parse().map_err(|_| "Repeat every 1 to 52 weeks.")?;
        if !(1..=52).contains(&interval_weeks) {
            return Err("Repeat every 1 to 52 weeks.");
        }
        let mut weekdays = self.weekdays.clone();
        if weekdays.is_empty() {
            weekdays.push(first_day.weekday());
        }
        weekdays.sort_by_key(Weekday::num_days_from_monday);
        weekdays.dedup();
        let (until, count) = match self.ends {
            Ends::Count => {
                let count: u32 = self.count.trim().parse().map_err(|_| "Enter how many sessions the series has.")?;
                if !(1..=SERIES_MAX_OCCURRENCES).contains(&count) {
                    return Err("A series has 1 to 104 sessions.");
                }
                (None, Some(count))
            }
            Ends::Until => {
                let until = time::parse_date(self.until.trim()).ok_or("Choose the day the series ends.")?;
                if until < first_day {
                    return Err("The series ends before its first session.");
                }
                (Some(until), None)
            }
        };
        Ok(Recurrence { interval_weeks, weekdays, until, count })
    }
}

/// Props of [`RepeatFields`].
#[derive(Properties, PartialEq)]
pub struct RepeatFieldsProps {
    /// Makes the fields' ids unique on the page.
    pub id: AttrValue,
    pub draft: UseStateHandle<RepeatDraft>,
}

/// The repeat fields, in a fieldset.
#[component]
pub fn RepeatFields(props: &RepeatFieldsProps) -> Html {
    crate::render_count::count_render();
    let draft = props.draft.clone();
    let id = &props.id;
    // Each text field writes its part of the draft as it is typed.
    let typed = |write: fn(&mut RepeatDraft, String)| {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| {
            let mut next = (*draft).clone();
            write(&mut next, field_text(&event));
            draft.set(next);
        })
    };
    let day = |(weekday, name): (Weekday, &'static str)| {
        let checked = draft.weekdays.contains(&weekday);
        let toggle = {
            let draft = draft.clone();
            Callback::from(move |_: Event| {
                let mut next = (*draft).clone();
                if next.weekdays.contains(&weekday) {
                    next.weekdays.retain(|d| *d != weekday);
                } else {
                    next.weekdays.push(weekday);
                }
                draft.set(next);
            })
        };
        let field = format!("{id}-day-{name}");
        html! {
            <label class="day-choice" for={field.clone()}>
                <input id={field} type="checkbox" {checked} onchange={toggle} />
                { name }
            </label>
        }
    };
    let choose_end = |ends: Ends| {
        let draft = draft.clone();
        Callback::from(move |_: Event| draft.set(RepeatDraft { ends, ..(*draft).clone() }))
    };
    html! {
        <fieldset class="repeat" data-testid="repeat-fields">
            <legend>{ "Repeats" }</legend>
            <div class="field field-narrow">
                <label for={format!("{id}-every")}>{ "Every (weeks)" }</label>
                <input id={format!("{id}-every")} type="number" min="1" max="52" value={draft.every_weeks.clone()} oninput={typed(|d, t| d.every_weeks = t)} />
            </div>
            <div class="field" role="group" aria-labelledby={format!("{id}-days-label")}>
                <span id={format!("{id}-days-label")} class="label">{ "On these days (default: the first session's)" }</span>
                <div class="day-choices">{ for DAYS.into_iter().map(day) }</div>
            </div>
            <div class="field" role="radiogroup" aria-labelledby={format!("{id}-ends-label")}>
                <span id={format!("{id}-ends-label")} class="label">{ "Ends" }</span>
                <label class="end-choice">
                    <input type="radio" name={format!("{id}-ends")} checked={draft.ends == Ends::Count} onchange={choose_end(Ends::Count)} />
                    { "After" }
                    <input id={format!("{id}-count")} type="number" min="1" max="104" aria-label="Number of sessions"
                        value={draft.count.clone()} oninput={typed(|d, t| d.count = t)} disabled={draft.ends != Ends::Count} />
                    { "sessions" }
                </label>
                <label class="end-choice">
                    <input type="radio" name={format!("{id}-ends")} checked={draft.ends == Ends::Until} onchange={choose_end(Ends::Until)} />
                    { "On" }
                    <input id={format!("{id}-until")} type="date" aria-label="Last day of the series"
                        value={draft.until.clone()} oninput={typed(|d, t| d.until = t)} disabled={draft.ends != Ends::Until} />
                </label>
            </div>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        time::parse_date(text).expect("a day")
    }

    #[test]
    fn a_weekly_count_defaults_to_the_first_sessions_day() {
        let rule = RepeatDraft::default().check(day("2026-12-09")).expect("valid");
        assert_eq!(rule, Recurrence { interval_weeks: 1, weekdays: vec![Weekday::Wed], until: None, count: Some(6) });
    }

    #[test]
    fn chosen_days_are_sent_in_week_order_once() {
        let draft = RepeatDraft { weekdays: vec![Weekday::Fri, Weekday::Mon, Weekday::Fri], ..Default::default() };
        assert_eq!(draft.check(day("2026-12-07")).map(|r| r.weekdays), Ok(vec![Weekday::Mon, Weekday::Fri]));
    }

    #[test]
    fn out_of_range_repeats_are_named() {
        let first = day("2026-12-07");
        let bad = |draft: RepeatDraft| draft.check(first).err();
        assert_eq!(
            bad(RepeatDraft { every_weeks: "0".into(), ..Default::default() }),
            Some("Repeat every 1 to 52 weeks.")
        );
        assert_eq!(
            bad(RepeatDraft { every_weeks: "x".into(), ..Default::default() }),
            Some("Repeat every 1 to 52 weeks.")
        );
        assert_eq!(
            bad(RepeatDraft { count: "105".into(), ..Default::default() }),
            Some("A series has 1 to 104 sessions.")
        );
        assert_eq!(
            bad(RepeatDraft { count: "0".into(), ..Default::default() }),
            Some("A series has 1 to 104 sessions.")
        );
        let until = |until: &str| RepeatDraft { ends: Ends::Until, until: until.into(), ..Default::default() };
        assert_eq!(bad(until("")), Some("Choose the day the series ends."));
        assert_eq!(bad(until("2026-12-06")), Some("The series ends before its first session."));
        assert_eq!(until("2027-01-31").check(first).map(|r| (r.until, r.count)), Ok((Some(day("2027-01-31")), None)));
    }

    #[test]
    fn an_existing_rule_shows_the_sessions_still_to_come() {
        let rule = Recurrence { interval_weeks: 2, weekdays: vec![Weekday::Tue], until: None, count: Some(6) };
        let draft = RepeatDraft::of(&rule, 4);
        assert_eq!((draft.every_weeks.as_str(), draft.count.as_str(), draft.ends), ("2", "4", Ends::Count));
    }
}

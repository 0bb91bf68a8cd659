//! The actions page's filters and its list/board choice, kept in the address's query so a
//! link or a reload shows the same page. Defaults are left out of the address; a value the
//! page does not know (an old link, a hand-edited one) falls back to its default.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tandem_protocol::{Action, CoachingRelationshipId, SortOrder, Status, UserId};

use crate::domain::actions::is_overdue;

/// Which due dates the page shows (the API cannot filter by them: done on the list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Due {
    #[default]
    Any,
    Overdue,
    NextWeek,
    Undated,
}

impl Due {
    pub const ALL: [Due; 4] = [Due::Any, Due::Overdue, Due::NextWeek, Due::Undated];

    /// Its spelling in the address and the select.
    pub fn as_str(self) -> &'static str {
        match self {
            Due::Any => "any",
            Due::Overdue => "overdue",
            Due::NextWeek => "week",
            Due::Undated => "undated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Due::Any => "Any due date",
            Due::Overdue => "Overdue",
            Due::NextWeek => "Due in the next 7 days",
            Due::Undated => "No due date",
        }
    }

    /// Parses [`Due::as_str`]; anything else is `Any`.
    pub fn parse(text: &str) -> Due {
        Due::ALL.into_iter().find(|d| d.as_str() == text).unwrap_or_default()
    }

    /// Whether `action` is shown under this choice at `now`.
    pub fn keeps(self, action: &Action, now: DateTime<Utc>) -> bool {
        match self {
            Due::Any => true,
            Due::Overdue => is_overdue(action, now),
            Due::NextWeek => action.due_by.is_some_and(|due| due >= now && due < now + chrono::Duration::days(7)),
            Due::Undated => action.due_by.is_none(),
        }
    }
}

/// How the actions are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    List,
    /// A column per status.
    Board,
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    pub view: View,
    /// One person's actions (the person or one of their coachees), or everyone's.
    pub person: Option<UserId>,
    pub status: Option<Status>,
    pub due: Due,
    /// One relationship's actions (a coachee's filter).
    pub relationship: Option<CoachingRelationshipId>,
    pub order: SortOrder,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            view: View::List,
            person: None,
            status: None,
            due: Due::Any,
            relationship: None,
            order: SortOrder::Asc,
        }
    }
}

/// The query as it is in the address: every part optional text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FiltersQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
}

impl Filters {
    /// The filters an address's query names.
    pub fn of_query(query: &FiltersQuery) -> Filters {
        let text = |part: &Option<String>| part.as_deref().unwrap_or_default().to_owned();
        Filters {
            view: if text(&query.view) == "board" { View::Board } else { View::List },
            person: text(&query.person).parse().ok(),
            status: Status::parse(&text(&query.status)),
            due: Due::parse(&text(&query.due)),
            relationship: text(&query.rel).parse().ok(),
            order: if text(&query.order) == "desc" { SortOrder::Desc } else { SortOrder::Asc },
        }
    }

    /// The query naming these filters, defaults left out.
    pub fn to_query(&self) -> FiltersQuery {
        FiltersQuery {
            view: (self.view == View::Board).then(|| "board".into()),
            person: self.person.map(|p| p.to_string()),
            status: self.status.map(|s| s.as_str().into()),
            due: (self.due != Due::Any).then(|| self.due.as_str().into()),
            rel: self.relationship.map(|r| r.to_string()),
            order: (self.order == SortOrder::Desc).then(|| "desc".into()),
        }
    }

    /// Parses a query string (`view=board&status=InProgress`).
    pub fn parse(query: &str) -> Filters {
        Filters::of_query(&serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{action, at, S1};

    #[test]
    fn an_empty_address_is_the_default_page() {
        assert_eq!(Filters::parse(""), Filters::default());
        assert_eq!(serde_urlencoded::to_string(Filters::default().to_query()).as_deref(), Ok(""));
    }

    #[test]
    fn the_address_names_every_filter_and_reads_back_the_same() {
        let person = UserId(uuid::Uuid::from_u128(7));
        let relationship = CoachingRelationshipId(uuid::Uuid::from_u128(9));
        let filters = Filters {
            view: View::Board,
            person: Some(person),
            status: Some(Status::OnHold),
            due: Due::Overdue,
            relationship: Some(relationship),
            order: SortOrder::Desc,
        };
        let query = serde_urlencoded::to_string(filters.to_query()).expect("a query");
        assert!(
            query.starts_with("view=board&person=00000000-0000-0000-0000-000000000007&status=OnHold&due=overdue&rel=")
        );
        assert_eq!(Filters::parse(&format!("?{query}")), filters);
    }

    #[test]
    fn unknown_values_fall_back_to_the_defaults() {
        assert_eq!(
            Filters::parse("view=grid&person=nobody&status=Done&due=someday&rel=1&order=up"),
            Filters::default()
        );
    }

    #[test]
    fn the_due_filter_keeps_what_its_name_says() {
        let now = at(0) + chrono::Duration::days(10);
        let dated = |days: i64| {
            let mut a = action(1, S1, "a", 0);
            a.due_by = Some(now + chrono::Duration::days(days));
            a
        };
        let (late, soon, later, undated) = (dated(-1), dated(3), dated(30), action(2, S1, "b", 0));
        let mut done_late = dated(-1);
        done_late.status = Status::Completed;
        let kept = |due: Due| [&late, &soon, &later, &undated, &done_late].iter().filter(|a| due.keeps(a, now)).count();
        assert_eq!(kept(Due::Any), 5);
        assert!(Due::Overdue.keeps(&late, now) && !Due::Overdue.keeps(&done_late, now));
        assert_eq!(kept(Due::Overdue), 1);
        assert!(Due::NextWeek.keeps(&soon, now) && !Due::NextWeek.keeps(&later, now));
        assert_eq!(kept(Due::NextWeek), 1);
        assert!(Due::Undated.keeps(&undated, now));
        assert_eq!(kept(Due::Undated), 1);
    }
}

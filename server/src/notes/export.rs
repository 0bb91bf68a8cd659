//! A coaching session as one Markdown file [extension]: its title and time, the notes, the
//! agreements, the actions (ticked when done) and the goals it works on. People keep it,
//! mail it or paste it elsewhere; `GET /coaching_sessions/{id}/export.md` serves it.
//!
//! Everything typed by people is escaped ([`markdown::inline_text`]) so that it reads back
//! as the same text; the notes are already Markdown ([`crate::notes::crdt::NotesDoc::body`]).

use chrono::{DateTime, NaiveDate, Utc};
use tandem_protocol::{Status, UserId};

use crate::notes::markdown::inline_text;

/// An action as the export lists it.
#[derive(Clone, Debug)]
pub struct ExportAction {
    pub body: String,
    pub status: Status,
    pub due_by: Option<DateTime<Utc>>,
    pub assignees: Vec<UserId>,
}

/// A goal as the export lists it.
#[derive(Clone, Debug)]
pub struct ExportGoal {
    pub title: String,
    pub status: Status,
    pub target_date: Option<NaiveDate>,
}

/// What a session's export holds.
#[derive(Clone, Debug)]
pub struct SessionExport {
    /// The session's title, if it has one.
    pub title: Option<String>,
    /// When it takes place, as the reader's clock says (see `mail::templates::when`).
    pub when: String,
    /// The two people, (id, name), coach first.
    pub people: Vec<(UserId, String)>,
    /// The notes as Markdown.
    pub notes: String,
    pub agreements: Vec<String>,
    pub actions: Vec<ExportAction>,
    pub goals: Vec<ExportGoal>,
}

impl SessionExport {
    /// The whole file.
    pub fn to_markdown(&self) -> String {
        let title = self.title.as_deref().map(str::trim).filter(|title| !title.is_empty());
        let mut out = format!("# {}\n\n", inline_text(title.unwrap_or("Coaching session")));
        let names: Vec<String> = self.people.iter().map(|(_, name)| inline_text(name)).collect();
        out.push_str(&format!("{} · {}\n", inline_text(&self.when), names.join(" and ")));
        section(&mut out, "Notes");
        match self.notes.trim_end() {
            "" => out.push_str("No notes.\n"),
            notes => {
                out.push_str(notes);
                out.push('\n');
            }
        }
        section(&mut out, "Agreements");
        list(&mut out, "No agreements.", self.agreements.iter().map(|body| format!("- {}", inline_text(body))));
        section(&mut out, "Actions");
        list(&mut out, "No actions.", self.actions.iter().map(|action| self.action_line(action)));
        section(&mut out, "Goals");
        list(&mut out, "No goals.", self.goals.iter().map(goal_line));
        out
    }

    /// `- [x] Send the plan (Sam Rivera, due 2026-12-14, Completed)`.
    fn action_line(&self, action: &ExportAction) -> String {
        let done = if action.status == Status::Completed { "x" } else { " " };
        let mut about: Vec<String> = action
            .assignees
            .iter()
            .filter_map(|id| self.people.iter().find(|(person, _)| person == id))
            .map(|(_, name)| inline_text(name))
            .collect();
        if let Some(due) = action.due_by {
            about.push(format!("due {}", due.format("%Y-%m-%d")));
        }
        about.push(action.status.label().to_owned());
        format!("- [{done}] {} ({})", inline_text(&action.body), about.join(", "))
    }
}

fn goal_line(goal: &ExportGoal) -> String {
    let target = goal.target_date.map(|date| format!(", by {}", date.format("%Y-%m-%d"))).unwrap_or_default();
    format!("- {} ({}{target})", inline_text(&goal.title), goal.status.label())
}

fn section(out: &mut String, heading: &str) {
    out.push_str(&format!("\n## {heading}\n\n"));
}

fn list(out: &mut String, empty: &str, lines: impl Iterator<Item = String>) {
    let mut any = false;
    for line in lines {
        out.push_str(&line);
        out.push('\n');
        any = true;
    }
    if !any {
        out.push_str(empty);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn people() -> (UserId, UserId, Vec<(UserId, String)>) {
        let (coach, coachee) = (UserId::from(uuid::Uuid::new_v4()), UserId::from(uuid::Uuid::new_v4()));
        (coach, coachee, vec![(coach, "Alex Morgan".into()), (coachee, "Sam Rivera".into())])
    }

    #[test]
    fn a_session_reads_as_one_markdown_file() {
        let (coach, coachee, people) = people();
        let due = Utc.with_ymd_and_hms(2026, 12, 14, 9, 0, 0).single();
        let export = SessionExport {
            title: Some("Presence on *stage*".into()),
            when: "Mon 7 Dec 2026, 14:00 (Europe/Berlin)".into(),
            people,
            notes: "## Opening\n\n- breathe\n".into(),
            agreements: vec!["Meet weekly\non Mondays".into()],
            actions: vec![
                ExportAction {
                    body: "Send the plan".into(),
                    status: Status::Completed,
                    due_by: due,
                    assignees: vec![coachee],
                },
                ExportAction {
                    body: "# Book a room".into(),
                    status: Status::NotStarted,
                    due_by: None,
                    assignees: vec![coach, coachee],
                },
            ],
            goals: vec![ExportGoal {
                title: "Speak at the all-hands".into(),
                status: Status::InProgress,
                target_date: NaiveDate::from_ymd_opt(2027, 3, 1),
            }],
        };
        assert_eq!(
            export.to_markdown(),
            "# Presence on \\*stage\\*\n\n\
             Mon 7 Dec 2026, 14:00 (Europe/Berlin) · Alex Morgan and Sam Rivera\n\n\
             ## Notes\n\n## Opening\n\n- breathe\n\n\
             ## Agreements\n\n- Meet weekly on Mondays\n\n\
             ## Actions\n\n\
             - [x] Send the plan (Sam Rivera, due 2026-12-14, Completed)\n\
             - [ ] \\# Book a room (Alex Morgan, Sam Rivera, Not started)\n\n\
             ## Goals\n\n- Speak at the all-hands (In progress, by 2027-03-01)\n"
        );
    }

    #[test]
    fn an_empty_session_says_what_it_lacks() {
        let (_, _, people) = people();
        let export = SessionExport {
            title: None,
            when: "Tue 8 Dec 2026, 09:00 (UTC)".into(),
            people,
            notes: String::new(),
            agreements: Vec::new(),
            actions: Vec::new(),
            goals: Vec::new(),
        };
        let text = export.to_markdown();
        assert!(text.starts_with("# Coaching session\n\n"));
        for empty in ["No notes.", "No agreements.", "No actions.", "No goals."] {
            assert!(text.contains(empty), "{empty}");
        }
    }
}

//! Calendar files (RFC 5545, written by the `icalendar` crate): the invite a mail carries
//! when a session is scheduled, moved or cancelled, and a person's calendar feed.
//!
//! Each session is one event whose `UID` never changes and whose `SEQUENCE` (the session's
//! `ical_sequence`) rises with every change, so calendar apps update it in place. Times are
//! in UTC; the organizer's zone is named (`X-WR-TIMEZONE`) for apps that show it.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Attendee, Calendar, Component, EventLike, EventStatus, Property};

/// Identifies Tandem as the calendar's producer.
const PRODUCT: &str = "-//Tandem//Coaching sessions//EN";

/// Someone in a session.
#[derive(Clone, Debug)]
pub struct CalendarPerson {
    pub name: String,
    pub email: String,
}

/// One session as a calendar event.
#[derive(Clone, Debug)]
pub struct SessionEvent {
    /// Stable for the session's whole life (its id and the server's host).
    pub uid: String,
    pub sequence: u32,
    pub starts: DateTime<Utc>,
    pub minutes: i64,
    pub summary: String,
    /// The session page.
    pub page: String,
    pub meeting_url: Option<String>,
    /// The coach.
    pub organizer: CalendarPerson,
    /// The coach and the coachee.
    pub attendees: Vec<CalendarPerson>,
    /// When the session last changed (`DTSTAMP`).
    pub changed_at: DateTime<Utc>,
}

/// What an invite asks of the calendar app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Add the event, or update it in place (a new `SEQUENCE`).
    Request,
    /// Remove the event.
    Cancel,
}

impl Method {
    const fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The invite for one session: `METHOD:REQUEST` or `CANCEL`, in `zone` (the organizer's).
pub fn invite(method: Method, session: &SessionEvent, zone: &str) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODUCT))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method.as_str()))
        .append_property(Property::new("X-WR-TIMEZONE", zone));
    let status = if method == Method::Cancel { EventStatus::Cancelled } else { EventStatus::Confirmed };
    calendar.push(event(session, status, true));
    calendar.to_string()
}

/// The sessions of a recurring series in one file (`METHOD:PUBLISH`), for the one mail a
/// series change sends instead of one per session: each session keeps its own event (`UID`
/// and rising `SEQUENCE`, as its single invites have), cancelled ones marked so.
pub fn series(sessions: &[(SessionEvent, bool)], zone: &str) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODUCT))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .append_property(Property::new("X-WR-TIMEZONE", zone));
    for (session, cancelled) in sessions {
        let status = if *cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed };
        calendar.push(event(session, status, false));
    }
    calendar.to_string()
}

/// A person's feed: every session of theirs, for a calendar app to subscribe to.
pub fn feed(name: &str, zone: &str, sessions: &[SessionEvent]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODUCT))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .append_property(Property::new("X-WR-CALNAME", name))
        .append_property(Property::new("X-WR-TIMEZONE", zone))
        // Ask subscribers to look again every hour.
        .append_property(Property::new("REFRESH-INTERVAL;VALUE=DURATION", "PT1H"))
        .append_property(Property::new("X-PUBLISHED-TTL", "PT1H"));
    for session in sessions {
        calendar.push(event(session, EventStatus::Confirmed, false));
    }
    calendar.to_string()
}

fn event(session: &SessionEvent, status: EventStatus, with_people: bool) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    event
        .uid(&session.uid)
        .sequence(session.sequence)
        .timestamp(session.changed_at)
        .starts(session.starts)
        .ends(session.starts + Duration::minutes(session.minutes))
        .summary(&session.summary)
        .description(&description(session))
        .url(&session.page)
        .status(status);
    if let Some(meeting) = &session.meeting_url {
        event.location(meeting);
    }
    if with_people {
        let mut organizer = Property::new("ORGANIZER", format!("mailto:{}", session.organizer.email));
        organizer.add_parameter("CN", &session.organizer.name);
        event.append_property(organizer);
        for person in &session.attendees {
            let mut attendee =
                Attendee::new(format!("mailto:{}", person.email)).role(icalendar::Role::ReqParticipant).rsvp(false);
            attendee.cn = Some(person.name.clone());
            event.attendee(attendee);
        }
    }
    event.done()
}

fn description(session: &SessionEvent) -> String {
    match &session.meeting_url {
        Some(meeting) => format!("Join: {meeting}\nSession page: {}", session.page),
        None => format!("Session page: {}", session.page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn session() -> SessionEvent {
        SessionEvent {
            uid: "4d3c2b1a@tandem.example".into(),
            sequence: 2,
            starts: Utc.with_ymd_and_hms(2026, 12, 14, 9, 30, 0).unwrap(),
            minutes: 45,
            summary: "Coaching: Ada, Cy".into(),
            page: "https://tandem.example/coaching-sessions/4d3c2b1a".into(),
            meeting_url: Some("https://meet.example/abc".into()),
            organizer: CalendarPerson { name: "Ada Coach".into(), email: "ada@example.com".into() },
            attendees: vec![
                CalendarPerson { name: "Ada Coach".into(), email: "ada@example.com".into() },
                CalendarPerson { name: "Cy, Coachee".into(), email: "cy@example.com".into() },
            ],
            changed_at: Utc.with_ymd_and_hms(2026, 12, 7, 12, 0, 0).unwrap(),
        }
    }

    #[test]
    fn an_invite_names_its_method_uid_sequence_and_times_in_utc() {
        let text = invite(Method::Request, &session(), "Europe/Berlin");
        let parsed: Calendar = text.parse().unwrap();
        assert!(text.lines().all(|line| line.len() <= 75), "long lines are folded");
        let text = text.replace("\r\n ", "").replace("\n ", "");
        assert_eq!(parsed.property_value("METHOD"), Some("REQUEST"));
        assert_eq!(parsed.property_value("X-WR-TIMEZONE"), Some("Europe/Berlin"));
        let event = parsed.events().next().unwrap();
        assert_eq!(event.get_uid(), Some("4d3c2b1a@tandem.example"));
        assert_eq!(event.get_sequence(), Some(2));
        assert!(text.contains("DTSTART:20261214T093000Z") && text.contains("DTEND:20261214T101500Z"));
        assert!(text.contains("ORGANIZER;CN=Ada Coach:mailto:ada@example.com"));
        assert!(text.contains("CN=\"Cy, Coachee\";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:cy@example.com"), "{text}");
        assert!(text.contains("LOCATION:https://meet.example/abc"));
    }

    #[test]
    fn a_cancel_is_marked_cancelled() {
        let text = invite(Method::Cancel, &session(), "UTC");
        let parsed: Calendar = text.parse().unwrap();
        assert_eq!(parsed.property_value("METHOD"), Some("CANCEL"));
        assert_eq!(parsed.events().next().unwrap().get_status(), Some(EventStatus::Cancelled));
    }

    #[test]
    fn a_feed_holds_every_session_without_people() {
        let mut later = session();
        later.uid = "other@tandem.example".into();
        let text = feed("Tandem: Cy", "UTC", &[session(), later]);
        let parsed: Calendar = text.parse().unwrap();
        assert_eq!(parsed.events().count(), 2);
        assert_eq!(parsed.property_value("METHOD"), Some("PUBLISH"));
        assert!(!text.contains("ATTENDEE"));
        assert!(feed("Tandem: Cy", "UTC", &[]).parse::<Calendar>().unwrap().events().next().is_none());
    }
}

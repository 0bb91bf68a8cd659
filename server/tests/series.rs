//! Recurring sessions (issue 24): a weekly series is created, one session moved on its own,
//! the rest rescheduled, then all deleted; both people's streams follow every session, and
//! each person gets one mail per change with all its sessions in one calendar file.

mod common;

use chrono::{Datelike, Duration, NaiveDateTime, Utc};
use common::mail::SmtpServer;
use common::*;
use icalendar::{Calendar, CalendarComponent, Component};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// `days` ahead at 09:00 UTC, as the web app sends dates.
fn ahead(days: i64) -> NaiveDateTime {
    (Utc::now() + Duration::days(days)).date_naive().and_hms_opt(9, 0, 0).unwrap()
}

fn wire(date: NaiveDateTime) -> String {
    date.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn weekday(date: NaiveDateTime) -> String {
    date.weekday().to_string()
}

/// The events of a mail's calendar file: (UID, STATUS).
fn events_of(mail: &common::mail::Received) -> Vec<(String, String)> {
    let calendar: Calendar = mail.calendar().expect("a calendar file").parse().unwrap();
    calendar
        .components
        .iter()
        .filter_map(|component| match component {
            CalendarComponent::Event(event) => Some((
                event.get_uid().unwrap_or_default().to_owned(),
                event.property_value("STATUS").unwrap_or_default().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

fn ids(sessions: &Value) -> Vec<String> {
    sessions.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect()
}

async fn expect_each(stream: &mut common::sse::SseClient, name: &str, sessions: &[String]) {
    let mut seen = Vec::new();
    for _ in sessions {
        seen.push(stream.expect(name).await.json()["data"]["coaching_session_id"].as_str().unwrap().to_owned());
    }
    let (mut seen, mut wanted) = (seen, sessions.to_vec());
    seen.sort();
    wanted.sort();
    assert_eq!(seen, wanted, "{name} for each session");
}

#[tokio::test]
async fn a_weekly_series_is_created_moved_rescheduled_and_deleted_live_for_both() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| config.smtp_url = Some(url)).await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut coach_stream = server.events(&coach).await;
    let mut sam_stream = server.events(&sam).await;

    let start = ahead(2);
    let body = json!({"coaching_relationship_id": w.with_sam, "start_at": wire(start), "duration_minutes": 50,
        "title": "Weekly", "recurrence": {"interval_weeks": 1, "weekdays": [weekday(start)], "count": 6}});
    let made = server.ok(&coach, Method::POST, "/api/coaching_session_series", Some(body)).await;
    let series = made["series"]["id"].as_str().unwrap().to_owned();
    let sessions = ids(&made["sessions"]);
    assert_eq!(sessions.len(), 6);
    assert_eq!(made["sessions"][0]["date"], wire(start));
    assert_eq!(made["sessions"][5]["date"], wire(start + Duration::weeks(5)));
    assert!(made["sessions"].as_array().unwrap().iter().all(|s| s["coaching_session_series_id"] == series.as_str()));
    for stream in [&mut coach_stream, &mut sam_stream] {
        expect_each(stream, "coaching_session_created", &sessions).await;
    }
    // One mail each, all six sessions in its calendar file.
    for email in [COACH, SAM] {
        let mail = &smtp.exactly(email, "6 coaching sessions", 1).await[0];
        let events = events_of(mail);
        assert_eq!(events.len(), 6);
        assert!(events.iter().all(|(_, status)| status == "CONFIRMED"));
    }

    // One session moved on its own stays in the series.
    let one = format!("/api/coaching_sessions/{}", sessions[1]);
    let moved = wire(start + Duration::weeks(1) + Duration::hours(2));
    server.ok(&coach, Method::PUT, &one, Some(json!({"date": moved, "duration_minutes": 50}))).await;
    for stream in [&mut coach_stream, &mut sam_stream] {
        expect_each(stream, "coaching_session_updated", &sessions[1..2]).await;
    }
    let read = server.ok(&sam, Method::GET, &format!("/api/coaching_session_series/{series}"), None).await;
    assert_eq!(read["sessions"][1]["date"], moved);

    // The rest rescheduled: a day later, the same sessions (what was written in them stays).
    let later = start + Duration::days(1);
    let update =
        json!({"start_at": wire(later), "recurrence": {"interval_weeks": 1, "weekdays": [weekday(later)], "count": 6}});
    let path = format!("/api/coaching_session_series/{series}");
    let rescheduled = server.ok(&coach, Method::PUT, &path, Some(update)).await;
    assert_eq!(ids(&rescheduled["sessions"]), sessions);
    assert_eq!(rescheduled["sessions"][1]["date"], wire(later + Duration::weeks(1)));
    assert_eq!(rescheduled["series"]["ical_sequence"], 1);
    for stream in [&mut coach_stream, &mut sam_stream] {
        expect_each(stream, "coaching_session_updated", &sessions).await;
    }
    smtp.exactly(SAM, "Rescheduled: 6 coaching sessions", 1).await;

    // Fewer sessions: the last two are cancelled.
    let fewer =
        json!({"start_at": wire(later), "recurrence": {"interval_weeks": 1, "weekdays": [weekday(later)], "count": 4}});
    let shorter = server.ok(&coach, Method::PUT, &path, Some(fewer)).await;
    assert_eq!(ids(&shorter["sessions"]), sessions[..4]);
    for stream in [&mut coach_stream, &mut sam_stream] {
        expect_each(stream, "coaching_session_updated", &sessions[..4]).await;
        expect_each(stream, "coaching_session_deleted", &sessions[4..]).await;
    }
    let cancelled = &smtp.exactly(SAM, "Cancelled: 2 coaching sessions", 1).await[0];
    assert!(events_of(cancelled).iter().all(|(_, status)| status == "CANCELLED"));

    // Deleted: its sessions still to come go, live for both.
    let answer = server.call(&coach, Method::DELETE, &path, None).await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    for stream in [&mut coach_stream, &mut sam_stream] {
        expect_each(stream, "coaching_session_deleted", &sessions[..4]).await;
    }
    assert_eq!(server.call(&coach, Method::GET, &path, None).await.status(), StatusCode::NOT_FOUND);
    for id in &sessions {
        let gone = server.call(&sam, Method::GET, &format!("/api/coaching_sessions/{id}"), None).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    }
    smtp.exactly(COACH, "Cancelled: 4 coaching sessions", 1).await;
}

#[tokio::test]
async fn series_rules_without_a_sensible_schedule_and_people_outside_are_refused() {
    let server = TestServer::start().await;
    let w = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let (stranger, _) = server.sign_in(STRANGER).await;
    let start = ahead(2);
    let day = weekday(start);
    let with = |recurrence: Value| json!({"coaching_relationship_id": w.with_sam, "start_at": wire(start), "recurrence": recurrence});
    let until_before = wire(start - Duration::days(3));
    for recurrence in [
        json!({"interval_weeks": 1, "weekdays": [day], "count": 0}),
        json!({"interval_weeks": 1, "weekdays": [day], "count": 500}),
        json!({"interval_weeks": 1, "weekdays": [day], "until": &until_before[..10]}),
        json!({"interval_weeks": 1, "weekdays": [], "count": 3}),
        json!({"interval_weeks": 0, "weekdays": [day], "count": 3}),
        json!({"interval_weeks": 1, "weekdays": [day]}),
        json!({"interval_weeks": 1, "weekdays": [day], "count": 3, "until": "2030-01-01"}),
        json!({"interval_weeks": 1, "weekdays": ["Someday"], "count": 3}),
    ] {
        let before = server.snapshot().await;
        let answer =
            server.call(&coach, Method::POST, "/api/coaching_session_series", Some(&with(recurrence.clone()))).await;
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY, "{recurrence}");
        assert_eq!(server.snapshot().await, before, "{recurrence}: nothing changed");
    }
    let good = with(json!({"interval_weeks": 2, "weekdays": [day], "count": 3}));
    // Only the coach schedules; strangers see nothing.
    for (client, status) in [(&sam, StatusCode::FORBIDDEN), (&stranger, StatusCode::FORBIDDEN)] {
        let answer = server.call(client, Method::POST, "/api/coaching_session_series", Some(&good)).await;
        assert_eq!(answer.status(), status);
    }
    let made = server.ok(&coach, Method::POST, "/api/coaching_session_series", Some(good)).await;
    assert_eq!(made["sessions"][1]["date"], wire(start + Duration::weeks(2)));
    let path = format!("/api/coaching_session_series/{}", made["series"]["id"].as_str().unwrap());
    assert_eq!(server.call(&stranger, Method::GET, &path, None).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(server.ok(&sam, Method::GET, &path, None).await["sessions"].as_array().unwrap().len(), 3);
    let listed = format!("/api/coaching_session_series?coaching_relationship_id={}", w.with_sam);
    assert_eq!(server.ok(&sam, Method::GET, &listed, None).await.as_array().unwrap().len(), 1);
    for (method, body) in [
        (Method::DELETE, None),
        (
            Method::PUT,
            Some(json!({"start_at": wire(start),
        "recurrence": {"interval_weeks": 1, "weekdays": [day], "count": 2}})),
        ),
    ] {
        let before = server.snapshot().await;
        assert_eq!(server.call(&sam, method.clone(), &path, body.as_ref()).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(server.snapshot().await, before);
    }
    let unknown = format!("/api/coaching_session_series/{}", uuid::Uuid::new_v4());
    assert_eq!(server.call(&coach, Method::GET, &unknown, None).await.status(), StatusCode::NOT_FOUND);
    // A new schedule entirely in the past has nothing to come.
    let past =
        json!({"start_at": wire(ahead(-30)), "recurrence": {"interval_weeks": 1, "weekdays": [day], "count": 2}});
    let before = server.snapshot().await;
    assert_eq!(server.call(&coach, Method::PUT, &path, Some(&past)).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(server.snapshot().await, before);
}

//! What reaches people who are not looking: calendar invites by mail (through a real SMTP
//! server), reminders as durable jobs, the action-assigned mail and the daily digest, the
//! private calendar feed, one-click unsubscribe, and the live inbox.

mod common;

use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use common::mail::{Received, SmtpServer};
use common::*;
use icalendar::{Calendar, Component};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

fn at(seconds_ahead: i64) -> NaiveDateTime {
    let moment = Utc::now().naive_utc() + chrono::Duration::seconds(seconds_ahead);
    // Whole seconds, as the web app sends them.
    moment.with_nanosecond_zero()
}

trait WholeSeconds {
    fn with_nanosecond_zero(self) -> Self;
}

impl WholeSeconds for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        chrono::Timelike::with_nanosecond(&self, 0).unwrap()
    }
}

fn wire(date: NaiveDateTime) -> String {
    date.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The calendar file of a mail, parsed as a calendar app would.
fn calendar_of(mail: &Received) -> (Calendar, String) {
    let text = mail.calendar().unwrap_or_else(|| panic!("no calendar file in {}", mail.raw));
    (text.parse::<Calendar>().expect("a valid iCalendar file"), text)
}

/// The method, uid and sequence of an invite.
fn invite_of(mail: &Received) -> (String, String, u32, String) {
    let (calendar, text) = calendar_of(mail);
    let event = calendar.events().next().expect("one event");
    (
        calendar.property_value("METHOD").unwrap().to_owned(),
        event.get_uid().unwrap().to_owned(),
        event.get_sequence().unwrap(),
        text,
    )
}

async fn schedule(server: &TestServer, coach: &Client, relationship: &str, date: NaiveDateTime) -> String {
    let body = json!({"coaching_relationship_id": relationship, "date": wire(date), "duration_minutes": 45,
        "meeting_url": "https://meet.example/abc"});
    let session = server.ok(coach, Method::POST, "/api/coaching_sessions", Some(body)).await;
    session["id"].as_str().unwrap().to_owned()
}

async fn reschedule(server: &TestServer, coach: &Client, session: &str, date: NaiveDateTime) {
    let body = json!({"date": wire(date), "duration_minutes": 45, "meeting_url": "https://meet.example/abc"});
    server.ok(coach, Method::PUT, &format!("/api/coaching_sessions/{session}"), Some(body)).await;
}

/// Schedules, moves and cancels a session through `first` and `second` (the same server, or
/// two instances) and checks the invites each person receives.
async fn invites_follow_a_session(first: &TestServer, second: &TestServer, smtp: &SmtpServer) {
    let world = first.world().await;
    let (coach, _) = first.sign_in(COACH).await;
    let (coach_two, _) = second.sign_in(COACH).await;
    let session = schedule(first, &coach, &world.with_sam, at(7 * 86_400)).await;
    for email in [COACH, SAM] {
        let mails = smtp.exactly(email, "Coaching session with", 1).await;
        let (method, uid, _, _) = invite_of(&mails[0]);
        assert_eq!(method, "REQUEST");
        assert!(uid.starts_with(&session), "the uid names the session: {uid}");
        assert!(mails[0].header("list-unsubscribe").is_some_and(|h| h.contains("/unsubscribe/")));
    }
    let moved_to = at(8 * 86_400);
    reschedule(second, &coach_two, &session, moved_to).await;
    let expected_start = format!("DTSTART:{}Z", moved_to.format("%Y%m%dT%H%M%S"));
    for email in [COACH, SAM] {
        let scheduled = smtp.exactly(email, "Coaching session with", 1).await;
        let moved = smtp.exactly(email, "Moved:", 1).await;
        let (_, uid, first_sequence, _) = invite_of(&scheduled[0]);
        let (method, moved_uid, moved_sequence, text) = invite_of(&moved[0]);
        assert_eq!((method.as_str(), moved_uid.as_str()), ("REQUEST", uid.as_str()), "the same event, updated");
        assert!(moved_sequence > first_sequence, "SEQUENCE rises: {first_sequence} then {moved_sequence}");
        assert!(text.contains(&expected_start), "the new time in UTC: {text}");
    }
    first.ok(&coach, Method::DELETE, &format!("/api/coaching_sessions/{session}"), None).await;
    for email in [COACH, SAM] {
        let moved = smtp.exactly(email, "Moved:", 1).await;
        let cancelled = smtp.exactly(email, "Cancelled:", 1).await;
        let (_, uid, moved_sequence, _) = invite_of(&moved[0]);
        let (method, cancelled_uid, sequence, text) = invite_of(&cancelled[0]);
        assert_eq!((method.as_str(), cancelled_uid.as_str()), ("CANCEL", uid.as_str()));
        assert!(sequence > moved_sequence && text.contains("STATUS:CANCELLED"));
    }
    // Sam's inbox says what the coach did; the coach's own doings are not in theirs.
    let (sam, _) = first.sign_in(SAM).await;
    let inbox = first.ok(&sam, Method::GET, "/api/notifications", None).await;
    let kinds: Vec<&str> =
        inbox["items"].as_array().unwrap().iter().map(|item| item["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["session_cancelled", "session_moved", "session_scheduled"]);
    assert_eq!(inbox["unread"], 3);
    let coach_inbox = first.ok(&coach, Method::GET, "/api/notifications", None).await;
    assert_eq!(coach_inbox["unread"], 0);
}

#[tokio::test]
async fn scheduling_moving_and_cancelling_send_each_person_one_invite_per_change() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| config.smtp_url = Some(url)).await;
    invites_follow_a_session(&server, &server, &smtp).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn with_two_instances_each_invite_goes_out_once() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let first = TestServer::start_with(|config| config.smtp_url = Some(url.clone())).await;
    let second = TestServer::another_instance_with(&first, |config| config.smtp_url = Some(url.clone())).await;
    invites_follow_a_session(&first, &second, &smtp).await;
}

/// A server whose job clock is shortened: reminders 6 s ("a day") and 3 s ("an hour")
/// before, looked for every 100 ms.
fn quick_jobs(config: &mut tandem_server::Config, smtp: &str) {
    config.smtp_url = Some(smtp.to_owned());
    config.reminder_day_secs = 6;
    config.reminder_hour_secs = 3;
    config.jobs_poll_ms = 100;
}

#[tokio::test]
async fn each_person_gets_one_reminder_none_after_a_cancel_and_one_after_a_restart() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| quick_jobs(config, &url)).await;
    let world = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    // An open action of Sam's, due before the session: the reminder lists it.
    let action = json!({"coaching_session_id": world.sam_session, "body": "Draft the hiring plan",
        "due_by": (Utc::now() + chrono::Duration::seconds(9)).to_rfc3339(), "status": "InProgress",
        "assignee_ids": [world.sam_id]});
    server.ok(&coach, Method::POST, "/api/actions", Some(action)).await;
    let kept = schedule(&server, &coach, &world.with_sam, at(10)).await;
    let agenda = json!({"body": "Who joins the hiring panel"});
    server.ok(&coach, Method::POST, &format!("/api/coaching_sessions/{kept}/topics"), Some(agenda)).await;
    let cancelled = schedule(&server, &coach, &world.with_jordan, at(10)).await;
    server.ok(&coach, Method::DELETE, &format!("/api/coaching_sessions/{cancelled}"), None).await;
    for email in [COACH, SAM] {
        let reminders = smtp.exactly(email, "Reminder:", 1).await;
        assert!(reminders[0].text().contains(&format!("/coaching-sessions/{kept}")));
    }
    let sam_reminder = &smtp.exactly(SAM, "Reminder:", 1).await[0];
    assert!(sam_reminder.text().contains("Draft the hiring plan"), "{}", sam_reminder.text());
    assert!(sam_reminder.text().contains("Who joins the hiring panel"), "the agenda: {}", sam_reminder.text());
    assert!(sam_reminder.header("list-unsubscribe").is_some());
    smtp.exactly(JORDAN, "Reminder:", 0).await;

    // Down when the next reminder is due; back before its session starts: it goes out once.
    let session = schedule(&server, &coach, &world.with_jordan, at(12)).await;
    let mut server = server;
    server.shut_down().await;
    tokio::time::sleep(Duration::from_secs(7)).await;
    smtp.exactly(JORDAN, "Reminder:", 0).await;
    let server = server.restarted(|config| quick_jobs(config, &url)).await;
    let reminders = smtp.exactly(JORDAN, "Reminder:", 1).await;
    assert!(reminders[0].text().contains(&session));
    drop(server);
}

#[tokio::test]
async fn a_person_who_turned_the_hour_reminder_on_gets_both() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| quick_jobs(config, &url)).await;
    let world = server.world().await;
    let (sam, _) = server.sign_in(SAM).await;
    let path = format!("/api/users/{}/notification_settings", world.sam_id);
    let settings = server.ok(&sam, Method::PUT, &path, Some(json!({"reminder_hour_before": true}))).await;
    assert_eq!(settings["reminder_hour_before"], true);
    assert_eq!(settings["reminder_day_before"], true);
    let (coach, _) = server.sign_in(COACH).await;
    schedule(&server, &coach, &world.with_sam, at(9)).await;
    let reminders = smtp.exactly(SAM, "Reminder:", 2).await;
    assert!(reminders.iter().any(|mail| mail.header("subject").unwrap().contains("in an hour")));
    smtp.exactly(COACH, "Reminder:", 1).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn with_two_instances_each_reminder_goes_out_once() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let first = TestServer::start_with(|config| quick_jobs(config, &url)).await;
    let second = TestServer::another_instance_with(&first, |config| quick_jobs(config, &url)).await;
    let world = first.world().await;
    let (coach, _) = first.sign_in(COACH).await;
    for _ in 0..10 {
        schedule(&first, &coach, &world.with_sam, at(9)).await;
    }
    smtp.exactly(SAM, "Reminder:", 10).await;
    smtp.exactly(COACH, "Reminder:", 10).await;
    drop(second);
}

#[tokio::test]
async fn an_assigned_action_mails_the_assignee_who_can_unsubscribe_in_one_click() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| config.smtp_url = Some(url)).await;
    let world = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let mut sam_stream = server.events(&sam).await;
    let assign = |body: &str, to: &str| {
        json!({"coaching_session_id": world.sam_session, "body": body, "status": "NotStarted", "assignee_ids": [to],
            "due_by": (Utc::now() + chrono::Duration::days(3)).to_rfc3339()})
    };
    let action = server.ok(&coach, Method::POST, "/api/actions", Some(assign("Write the plan", &world.sam_id))).await;
    let mail = &smtp.exactly(SAM, "assigned you an action", 1).await[0];
    assert!(mail.text().contains(&format!("?highlight={}", action["id"].as_str().unwrap())));
    // The inbox item arrives live, to Sam only.
    loop {
        let frame = sam_stream.next_event().await;
        if frame.event.as_deref() == Some("notification_created") {
            let item = &frame.json()["data"]["notification"];
            assert_eq!(
                (item["kind"].as_str(), item["subject"].as_str()),
                (Some("action_assigned"), Some("Write the plan"))
            );
            break;
        }
    }
    // Assigning oneself tells nobody.
    server.ok(&coach, Method::POST, "/api/actions", Some(assign("Mine", &world.coach_id))).await;
    smtp.exactly(COACH, "assigned you an action", 0).await;

    // One click on the mail's link turns these mails off; the inbox still gets the item.
    let link = mail.text().split_whitespace().find(|word| word.contains("/unsubscribe/")).unwrap().to_owned();
    let page = server.client().get(&link).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("no longer get mails about actions assigned to you"));
    let settings =
        server.ok(&sam, Method::GET, &format!("/api/users/{}/notification_settings", world.sam_id), None).await;
    assert_eq!(
        (settings["action_assigned"].as_bool(), settings["session_invites"].as_bool()),
        (Some(false), Some(true))
    );
    server.ok(&coach, Method::POST, "/api/actions", Some(assign("Second", &world.sam_id))).await;
    smtp.exactly(SAM, "assigned you an action", 1).await;
    let inbox = server.ok(&sam, Method::GET, "/api/notifications", None).await;
    assert_eq!(inbox["unread"], 2);

    // The mail client's one-click POST (RFC 8058) works too; a forged link changes nothing.
    let token = link.rsplit('/').next().unwrap();
    let resubscribe =
        server.client().post(server.url(&format!("/unsubscribe/{token}/resubscribe"))).send().await.unwrap();
    assert_eq!(resubscribe.status(), StatusCode::OK);
    let posted = server
        .client()
        .post(&link)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::OK);
    let before = server.snapshot().await;
    let mut forged = token.to_owned();
    forged.replace_range(0..1, if forged.starts_with('A') { "B" } else { "A" });
    for path in [format!("/unsubscribe/{forged}"), "/unsubscribe/nonsense".to_owned()] {
        assert_eq!(server.client().get(server.url(&path)).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(server.snapshot().await, before, "a forged link changed something");
}

#[tokio::test]
async fn the_inbox_is_marked_read_across_every_stream_and_refuses_bad_input() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let (sam_elsewhere, _) = server.sign_in(SAM).await;
    for body in ["We agree on weekly check-ins", "And on a shared doc"] {
        let agreement = json!({"coaching_session_id": world.sam_session, "body": body});
        server.ok(&coach, Method::POST, "/api/agreements", Some(agreement)).await;
    }
    let inbox = server.ok(&sam, Method::GET, "/api/notifications", None).await;
    assert_eq!(inbox["unread"], 2);
    let items = inbox["items"].as_array().unwrap();
    assert_eq!(items[0]["kind"], "agreement_added");
    assert_eq!(items[0]["subject"], "And on a shared doc");
    let newest = items[0]["id"].as_str().unwrap().to_owned();

    let mut here = server.events(&sam).await;
    let mut there = server.events(&sam_elsewhere).await;
    let read = server.ok(&sam, Method::POST, "/api/notifications/read", Some(json!({"ids": [newest]}))).await;
    assert_eq!((read["ids"][0].as_str(), read["unread"].as_u64()), (Some(newest.as_str()), Some(1)));
    for stream in [&mut here, &mut there] {
        let frame = stream.expect("notifications_read").await;
        assert_eq!(frame.json()["data"]["unread"], 1);
    }
    // Marking again marks nothing; another person's ids are not theirs to mark.
    let again = server.ok(&sam, Method::POST, "/api/notifications/read", Some(json!({"ids": [newest]}))).await;
    assert_eq!(again["ids"], json!([]));
    let other = server.ok(&coach, Method::POST, "/api/notifications/read", Some(json!({"all": true}))).await;
    assert_eq!(other["ids"], json!([]));
    assert_eq!(server.ok(&sam, Method::GET, "/api/notifications", None).await["unread"], 1);

    let before = server.snapshot().await;
    for (method, path, body) in [
        (Method::POST, "/api/notifications/read", Some(json!({}))),
        (Method::POST, "/api/notifications/read", Some(json!({"all": true, "ids": [newest]}))),
        (Method::POST, "/api/notifications/read", Some(json!({"ids": ["not-an-id"]}))),
        (Method::POST, "/api/notifications/read", Some(json!({"ids": vec![newest.clone(); 201]}))),
        (Method::GET, "/api/notifications?limit=0", None),
        (Method::GET, "/api/notifications?limit=5000", None),
        (Method::GET, "/api/notifications?nope=1", None),
    ] {
        let status = server.call(&sam, method.clone(), path, body.as_ref()).await.status();
        assert!(status.is_client_error(), "{method} {path} {body:?}: {status}");
    }
    for path in [
        format!("/api/users/{}/notification_settings", world.coach_id),
        format!("/api/users/{}/calendar_feed", world.coach_id),
    ] {
        assert_eq!(server.call(&sam, Method::GET, &path, None).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(server.call(&sam, Method::POST, &path, None).await.status().as_u16() / 100, 4);
    }
    let settings = format!("/api/users/{}/notification_settings", world.sam_id);
    let bad = server.call(&sam, Method::PUT, &settings, Some(&json!({"session_invites": "yes"}))).await.status();
    assert!(bad.is_client_error());
    let unknown = server.call(&sam, Method::PUT, &settings, Some(&json!({"sms": true}))).await.status();
    assert!(unknown.is_client_error());
    assert_eq!(server.snapshot().await, before, "refused input changed something");
    assert_eq!(server.client().get(server.url("/api/notifications")).send().await.unwrap().status().as_u16() / 100, 4);
}

/// The feed, fetched as a calendar app does: no cookie.
async fn fetch_feed(url: &str) -> (StatusCode, String) {
    let answer = reqwest::get(url).await.unwrap();
    (answer.status(), answer.text().await.unwrap())
}

#[tokio::test]
async fn the_calendar_feed_shows_ones_own_sessions_follows_a_move_and_ends_when_revoked() {
    let server = TestServer::start().await;
    let world = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let path = format!("/api/users/{}/calendar_feed", world.sam_id);
    assert_eq!(server.ok(&sam, Method::GET, &path, None).await["active"], false);
    let made = server.ok(&sam, Method::POST, &path, None).await;
    let url = made["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&server.url("/calendar/")) && url.ends_with(".ics"));
    let status = server.ok(&sam, Method::GET, &path, None).await;
    assert_eq!((status["active"].as_bool(), status.get("url")), (Some(true), None), "the address is shown once");

    let session = schedule(&server, &coach, &world.with_sam, at(3 * 86_400)).await;
    let jordans = schedule(&server, &coach, &world.with_jordan, at(3 * 86_400)).await;
    let (status, text) = fetch_feed(&url).await;
    assert_eq!(status, StatusCode::OK);
    let calendar: Calendar = text.parse().expect("the feed parses");
    let uids: Vec<String> = calendar.events().map(|event| event.get_uid().unwrap().to_owned()).collect();
    assert!(uids.iter().any(|uid| uid.starts_with(&session)), "Sam's new session is in the feed");
    assert!(uids.iter().any(|uid| uid.starts_with(&world.sam_session)), "and the earlier ones");
    assert!(!uids.iter().any(|uid| uid.starts_with(&jordans)), "never another person's sessions");
    assert!(!text.contains("jordan@"), "nor anyone's address");

    let moved_to = at(4 * 86_400);
    reschedule(&server, &coach, &session, moved_to).await;
    let (_, text) = fetch_feed(&url).await;
    let calendar: Calendar = text.parse().unwrap();
    let event = calendar.events().find(|event| event.get_uid().unwrap().starts_with(&session)).unwrap();
    assert!(event.get_sequence().unwrap() >= 1);
    assert!(text.contains(&format!("DTSTART:{}Z", moved_to.format("%Y%m%dT%H%M%S"))), "the moved time");

    // A new address ends the old one; turning the feed off ends the new one.
    let replaced = server.ok(&sam, Method::POST, &path, None).await["url"].as_str().unwrap().to_owned();
    assert_eq!(fetch_feed(&url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch_feed(&replaced).await.0, StatusCode::OK);
    server.ok(&sam, Method::DELETE, &path, None).await;
    assert_eq!(fetch_feed(&replaced).await.0, StatusCode::NOT_FOUND);
    for forged in ["/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", "/calendar/x.ics", "/calendar/nothing"]
    {
        assert_eq!(fetch_feed(&server.url(forged)).await.0, StatusCode::NOT_FOUND, "{forged}");
    }

    // A person in no relationship gets an empty feed.
    let (stranger, stranger_id) = server.sign_in(STRANGER).await;
    let theirs = server.ok(&stranger, Method::POST, &format!("/api/users/{stranger_id}/calendar_feed"), None).await;
    let (status, text) = fetch_feed(theirs["url"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text.parse::<Calendar>().unwrap().events().count(), 0);
}

#[tokio::test]
async fn the_digest_of_actions_due_soon_goes_once_a_day() {
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let server = TestServer::start_with(|config| {
        quick_jobs(config, &url);
        config.digest_hour = 0;
    })
    .await;
    let world = server.world().await;
    let (coach, _) = server.sign_in(COACH).await;
    for (body, days) in [("Due tomorrow", 1), ("Due next week", 7)] {
        let action = json!({"coaching_session_id": world.sam_session, "body": body, "status": "NotStarted",
            "assignee_ids": [world.sam_id], "due_by": (Utc::now() + chrono::Duration::days(days)).to_rfc3339()});
        server.ok(&coach, Method::POST, "/api/actions", Some(action)).await;
    }
    let digest = &smtp.exactly(SAM, "due in the next two days", 1).await[0];
    let text = digest.text();
    assert!(text.contains("Due tomorrow") && !text.contains("Due next week"), "{text}");
    // Many job runs later, still one.
    tokio::time::sleep(Duration::from_millis(800)).await;
    smtp.exactly(SAM, "due in the next two days", 1).await;
    smtp.exactly(COACH, "due in the next two days", 0).await;
    let _: Value = server.ok(&coach, Method::GET, "/api/notifications", None).await;
}

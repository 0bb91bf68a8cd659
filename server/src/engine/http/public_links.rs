//! The addresses that work without signing in, because a calendar app or a mail client opens
//! them: a person's calendar feed (`/calendar/<token>.ics`) and one-click unsubscribe
//! (`/unsubscribe/<token>`, which mail clients may also `POST` to, RFC 8058).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{Duration, Utc};
use tandem_protocol::{NotificationSettings, RelationshipSide, UserId};

use super::super::dialect;
use super::super::db::{calendar_feeds, coaching_sessions, notification_settings, relationships, users};
use super::super::notify;
use super::super::state::AppState;
use super::Path;
use crate::auth::tokens;
use crate::auth::unsubscribe::MailSetting;
use crate::error::Result;
use crate::mail::calendar::{self, CalendarPerson};

/// How far back and ahead a feed reaches.
const FEED_PAST: Duration = Duration::days(366);
const FEED_AHEAD: Duration = Duration::days(2 * 366);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar/{file}", get(feed))
        .route("/unsubscribe/{token}", get(unsubscribe_page).post(unsubscribe_one_click))
        .route("/unsubscribe/{token}/resubscribe", post(resubscribe))
        .route("/links.css", get(stylesheet))
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, [(header::CACHE_CONTROL, "no-store")], format!("{what}\n")).into_response()
}

/// The feed of the person whose feed secret is in the file name.
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response> {
    const GONE: &str = "No such calendar feed: it may have been turned off or replaced.";
    let Some(hash) = file.strip_suffix(".ics").and_then(tokens::stored_form) else {
        return Ok(not_found(GONE));
    };
    let Some(person) = calendar_feeds::owner(&state.db, &hash).await? else {
        return Ok(not_found(GONE));
    };
    let Some(owner) = users::by_id(&state.db, person).await?.map(|stored| stored.user) else {
        return Ok(not_found(GONE));
    };
    let today = Utc::now().date_naive();
    let (from, to) = (today - FEED_PAST, today + FEED_AHEAD);
    let mut events = Vec::new();
    for relationship in relationships::of_user(&state.db, person, RelationshipSide::All).await? {
        let coach = named(&relationship.coach_first_name, &relationship.coach_last_name);
        let coachee = named(&relationship.coachee_first_name, &relationship.coachee_last_name);
        for session in coaching_sessions::list(&state.db, relationship.id, from, to, false).await? {
            events.push(notify::session_event(&state, &session, coach.clone(), coachee.clone(), session.ical_sequence));
        }
    }
    events.sort_by_key(|event| event.starts);
    let body = calendar::feed(&format!("Tandem: {}", owner.name()), &owner.timezone, &events);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("inline; filename=\"tandem.ics\"")),
        ],
        body,
    )
        .into_response())
}

fn named(first: &str, last: &str) -> CalendarPerson {
    CalendarPerson { name: format!("{first} {last}").trim().to_owned(), email: String::new() }
}

/// Turns `setting` off (or on) for `person`.
async fn set(state: &AppState, person: UserId, setting: MailSetting, on: bool) -> Result<()> {
    let mut tx = dialect::begin_write(&state.db).await?;
    let current = notification_settings::of(&mut *tx, person).await?;
    let changed = match setting {
        MailSetting::SessionInvites => NotificationSettings { session_invites: on, ..current },
        // Off turns both reminders off; on brings back the day-before one.
        MailSetting::Reminders if on => NotificationSettings { reminder_day_before: true, ..current },
        MailSetting::Reminders => NotificationSettings { reminder_day_before: false, reminder_hour_before: false, ..current },
        MailSetting::ActionAssigned => NotificationSettings { action_assigned: on, ..current },
        MailSetting::ActionDigest => NotificationSettings { action_digest: on, ..current },
    };
    notification_settings::store(&mut *tx, person, &changed, Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// The link in a mail: one click turns that kind of mail off, and the page says so.
async fn unsubscribe_page(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let Some((person, setting)) = state.unsubscribe.read(&token) else {
        return Ok(page(StatusCode::NOT_FOUND, "Link not valid", "<p>This unsubscribe link is not valid. You can choose which mails you get in your Tandem settings.</p>", &state));
    };
    if users::by_id(&state.db, person).await?.is_none() {
        return Ok(page(StatusCode::NOT_FOUND, "Link not valid", "<p>This account no longer exists.</p>", &state));
    }
    set(&state, person, setting, false).await?;
    let body = format!(
        "<p>You will no longer get {what}.</p>\
         <form method=\"post\" action=\"/unsubscribe/{token}/resubscribe\"><button type=\"submit\">Turn them back on</button></form>",
        what = setting.describe(),
        token = escape(&token),
    );
    Ok(page(StatusCode::OK, "Unsubscribed", &body, &state))
}

/// RFC 8058: the mail client's one-click `POST`.
async fn unsubscribe_one_click(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let Some((person, setting)) = state.unsubscribe.read(&token) else {
        return Ok(not_found("This unsubscribe link is not valid."));
    };
    set(&state, person, setting, false).await?;
    Ok((StatusCode::OK, format!("You will no longer get {}.\n", setting.describe())).into_response())
}

async fn resubscribe(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response> {
    let Some((person, setting)) = state.unsubscribe.read(&token) else {
        return Ok(page(StatusCode::NOT_FOUND, "Link not valid", "<p>This link is not valid.</p>", &state));
    };
    set(&state, person, setting, true).await?;
    let body = format!("<p>You will get {} again.</p>", setting.describe());
    Ok(page(StatusCode::OK, "Subscribed again", &body, &state))
}

/// A small page of its own (the web app need not load for this).
fn page(status: StatusCode, title: &str, body: &str, state: &AppState) -> Response {
    let settings = format!("{}/settings", notify::base_url(state));
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Tandem</title><link rel=\"stylesheet\" href=\"/links.css\"></head>\
         <body><main><h1>{title}</h1>{body}<p><a href=\"{settings}\">Choose which mails you get</a></p></main></body></html>",
        settings = escape(&settings),
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// The pages' look (the app's own stylesheet has a hashed name; these pages stay apart).
async fn stylesheet() -> Response {
    const CSS: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937;background:#f9fafb;margin:0}\
        main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}\
        h1{font-size:1.5rem;margin-top:0}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid #2563eb;\
        background:#2563eb;color:#fff;cursor:pointer}a{color:#1d4ed8}\
        @media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}main{background:#1f2937}a{color:#93c5fd}}";
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=86400")], CSS).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

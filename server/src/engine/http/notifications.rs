//! What a person hears about when not looking [extension]: their inbox (`/notifications`),
//! which mails they get (`/users/{id}/notification_settings`) and their private calendar
//! feed (`/users/{id}/calendar_feed`; the feed itself is served by `calendar_links`).

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use tandem_protocol::{
    CalendarFeed, Envelope, Event, Inbox, InboxQuery, MarkRead, NotificationSettings, NotificationSettingsUpdate,
    NotificationsRead, UserId,
};

use super::super::dialect;
use super::super::auth::CurrentUser;
use super::super::db::{calendar_feeds, inbox, notification_settings};
use super::super::notify;
use super::super::state::AppState;
use super::super::write::PeopleWrite;
use super::users::require_self;
use super::{Json, Path, Query};
use crate::auth::tokens;
use crate::error::{Error, Result};

/// Items shown when the query names no limit, and the most it may name.
const INBOX_DEFAULT: u32 = 50;
const INBOX_MAX: u32 = 200;
/// Most ids one mark-read names.
const MARK_MAX: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(read_inbox))
        .route("/notifications/read", post(mark_read))
        .route("/users/{id}/notification_settings", get(read_settings).put(update_settings))
        .route("/users/{id}/calendar_feed", get(read_feed).post(make_feed).delete(end_feed))
}

async fn read_inbox(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<InboxQuery>,
) -> Result<Json<Envelope<Inbox>>> {
    let limit = query.limit.unwrap_or(INBOX_DEFAULT);
    if limit == 0 || limit > INBOX_MAX {
        return Err(Error::validation(format!("limit must be from 1 to {INBOX_MAX}.")));
    }
    let since = Utc::now() - inbox::KEPT;
    let items = inbox::newest(&state.db, me.id, since, i64::from(limit)).await?;
    let unread = inbox::unread(&state.db, me.id, since).await?;
    Ok(Json(Envelope::ok(Inbox { unread, items })))
}

async fn mark_read(
    State(state): State<AppState>,
    me: CurrentUser,
    Json(input): Json<MarkRead>,
) -> Result<Json<Envelope<NotificationsRead>>> {
    let ids = match (input.all, input.ids.is_empty()) {
        (true, true) => None,
        (false, false) if input.ids.len() <= MARK_MAX => Some(input.ids.as_slice()),
        (false, false) => return Err(Error::validation(format!("At most {MARK_MAX} ids at once."))),
        _ => return Err(Error::validation("Name the items to mark read (ids), or all of them (all: true), not both.")),
    };
    let now = Utc::now();
    let mut write = PeopleWrite::begin(&state).await?;
    let marked = inbox::mark_read(write.db(), me.id, ids, now).await?;
    let unread = inbox::unread(&mut *write.db(), me.id, now - inbox::KEPT).await?;
    let read = NotificationsRead { ids: marked, read_at: now, unread };
    if !read.ids.is_empty() {
        // Every tab and device of the person clears them.
        write.emit_to(vec![me.id], Event::NotificationsRead(read.clone()));
    }
    write.commit().await?;
    Ok(Json(Envelope::ok(read)))
}

async fn read_settings(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<UserId>,
) -> Result<Json<Envelope<NotificationSettings>>> {
    require_self(&me, id)?;
    Ok(Json(Envelope::ok(notification_settings::of(&state.db, id).await?)))
}

async fn update_settings(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<UserId>,
    Json(update): Json<NotificationSettingsUpdate>,
) -> Result<Json<Envelope<NotificationSettings>>> {
    require_self(&me, id)?;
    let mut tx = dialect::begin_write(&state.db).await?;
    let settings = notification_settings::of(&mut *tx, id).await?.with(update);
    notification_settings::store(&mut *tx, id, &settings, Utc::now()).await?;
    tx.commit().await?;
    Ok(Json(Envelope::ok(settings)))
}

async fn read_feed(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<UserId>,
) -> Result<Json<Envelope<CalendarFeed>>> {
    require_self(&me, id)?;
    let created_at = calendar_feeds::made_at(&state.db, id).await?;
    Ok(Json(Envelope::ok(CalendarFeed { active: created_at.is_some(), created_at, url: None })))
}

/// Makes a new feed address (the earlier one, if any, stops working) and shows it, once.
async fn make_feed(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<UserId>,
) -> Result<Json<Envelope<CalendarFeed>>> {
    require_self(&me, id)?;
    let (token, hash) = tokens::new_token();
    let now = Utc::now();
    calendar_feeds::put(&state.db, id, &hash, now).await?;
    let url = format!("{}/calendar/{token}.ics", notify::base_url(&state));
    Ok(Json(Envelope::created(CalendarFeed { active: true, created_at: Some(now), url: Some(url) })))
}

async fn end_feed(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<UserId>,
) -> Result<Json<Envelope<Option<()>>>> {
    require_self(&me, id)?;
    calendar_feeds::remove(&state.db, id).await?;
    Ok(Json(Envelope::no_content()))
}

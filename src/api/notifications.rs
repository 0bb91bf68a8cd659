//! The inbox, which mails a person gets, and their calendar feed [extension; the reference
//! backend has none of these routes, so callers hide what a missing route would show]. The
//! inbox itself is read through the cache (`resources::inbox`).

use gloo::net::http::Method;
use tandem_protocol::{CalendarFeed, MarkRead, NotificationSettings, NotificationSettingsUpdate, UserId};

use super::client::{ack, enveloped, get, write, Body, Call};
use super::ApiError;

/// `POST /notifications/read`: marks the items read (or all of them). Every tab and device of
/// the person, this one included, hears it as `notifications_read`, the answer's twin: the
/// cache takes it from there, so the answer itself is not read.
pub async fn mark_read(which: &MarkRead) -> Result<(), ApiError> {
    ack(Method::POST, "/notifications/read", Body::json(which)?, Call::JSON).await
}

fn settings_path(person: UserId) -> String {
    format!("/users/{person}/notification_settings")
}

/// `GET /users/{id}/notification_settings`: which mails the person gets.
pub async fn settings(person: UserId) -> Result<NotificationSettings, ApiError> {
    get(&settings_path(person)).await
}

/// `PUT /users/{id}/notification_settings`: changes the fields given; answers them all.
pub async fn update_settings(
    person: UserId,
    update: &NotificationSettingsUpdate,
) -> Result<NotificationSettings, ApiError> {
    write(Method::PUT, &settings_path(person), update).await
}

fn feed_path(person: UserId) -> String {
    format!("/users/{person}/calendar_feed")
}

/// `GET /users/{id}/calendar_feed`: whether the person has a feed (never its address).
pub async fn calendar_feed(person: UserId) -> Result<CalendarFeed, ApiError> {
    get(&feed_path(person)).await
}

/// `POST /users/{id}/calendar_feed`: a new feed address, in place of any earlier one. The
/// answer is the only time the address is shown.
pub async fn create_calendar_feed(person: UserId) -> Result<CalendarFeed, ApiError> {
    enveloped(Method::POST, &feed_path(person), Body::None).await
}

/// `DELETE /users/{id}/calendar_feed`: ends the feed; its address stops working.
pub async fn end_calendar_feed(person: UserId) -> Result<(), ApiError> {
    ack(Method::DELETE, &feed_path(person), Body::None, Call::JSON).await
}

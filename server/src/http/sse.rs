//! `GET /sse`: the signed-in person's live event stream.
//!
//! Starts with `retry:`, then what the client missed (a replay after `Last-Event-ID`, or
//! one `resync`), then live events; a comment line keeps the connection alive when quiet.
//! The connection leaves the registry the moment the response body is dropped.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tandem_protocol::{Event, Resync, UserId};
use tokio_stream::wrappers::ReceiverStream;

use crate::auth::CurrentUser;
use crate::realtime::{Catchup, Frame, Hub};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/sse", get(stream_events))
}

/// Unregisters its connection when the stream is dropped (the client went away).
struct ConnectionGuard {
    hub: Arc<Hub>,
    user: UserId,
    connection: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.hub.unsubscribe(self.user, self.connection);
        tracing::debug!(user = %self.user, connection = self.connection, "event stream closed");
    }
}

fn to_sse(frame: &Frame) -> SseEvent {
    let event = SseEvent::default().event(frame.name).data(&*frame.data);
    match frame.id {
        Some(id) => event.id(id.to_string()),
        None => event,
    }
}

/// `Last-Event-ID` as sent by the browser; present but unreadable counts as "very old".
fn last_event_id(headers: &HeaderMap) -> Option<u64> {
    headers.get("last-event-id").map(|value| value.to_str().ok().and_then(|v| v.trim().parse().ok()).unwrap_or(0))
}

async fn stream_events(State(state): State<AppState>, me: CurrentUser, headers: HeaderMap) -> impl IntoResponse {
    let subscription = state.hub.subscribe(me.id, me.login_id.clone(), last_event_id(&headers));
    tracing::debug!(user = %me.id, connection = subscription.connection, "event stream opened");
    let config = &state.config;
    let mut first = vec![SseEvent::default().retry(Duration::from_millis(config.sse_retry_ms))];
    match subscription.catchup {
        Catchup::Nothing => {}
        Catchup::Replay(frames) => first.extend(frames.iter().map(|frame| to_sse(frame))),
        Catchup::Resync { current_id } => {
            let resync = Event::Resync(Resync {});
            first.push(SseEvent::default().event(resync.name()).data(resync.to_data_json()).id(current_id.to_string()));
        }
    }
    let guard = ConnectionGuard { hub: state.hub.clone(), user: me.id, connection: subscription.connection };
    let live = ReceiverStream::new(subscription.live).map(move |frame| {
        let _ = &guard;
        to_sse(&frame)
    });
    let events: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> =
        Box::pin(stream::iter(first).chain(live).map(Ok));
    let keep_alive = KeepAlive::new().interval(Duration::from_secs(config.sse_keepalive_secs.max(1))).text("");
    // Proxies such as nginx must pass events through at once.
    let no_buffering = (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"));
    ([no_buffering], Sse::new(events).keep_alive(keep_alive))
}

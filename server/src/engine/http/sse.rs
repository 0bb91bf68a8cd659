//! `GET /sse`: the signed-in person's live event stream.
//!
//! Starts with `retry:`, then what the client missed (a replay after `Last-Event-ID`, read
//! from the database, or one `resync`), then live events; a comment line keeps the
//! connection alive when quiet. The connection is registered before the replay is read, so
//! nothing falls between the two; what arrives both ways is sent once, by its id. It leaves
//! the registry the moment the response body is dropped.

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
use tandem_protocol::{Event, Resync, UserId, HEARTBEAT_EVENT};
use tokio_stream::wrappers::ReceiverStream;

use super::super::auth::CurrentUser;
use super::super::events;
use super::super::state::AppState;
use super::Query;
use crate::error::Error;
use crate::realtime::order::{self, Live};
use crate::realtime::{Catchup, Frame, Hub};

/// The reconnection delay a stream's last frame asks for when its instance stops.
const DRAIN_RETRY: Duration = Duration::from_millis(1);

pub fn router() -> Router<AppState> {
    Router::new().route(crate::paths::EVENT_STREAM, get(stream_events))
}

/// Unregisters its connection when the stream is dropped (the client went away).
struct ConnectionGuard {
    hub: Arc<Hub>,
    user: UserId,
    connection: u64,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        crate::telemetry::streams_open(-1.0);
        self.hub.unsubscribe(self.user, self.connection);
        tracing::debug!(user = %self.user, connection = self.connection, "event stream closed");
    }
}

fn to_sse(frame: &Frame) -> SseEvent {
    let event = SseEvent::default().event(&*frame.name).data(&*frame.data);
    match frame.id {
        Some(id) => event.id(id.to_string()),
        None => event,
    }
}

/// Query of `GET /sse` [extension]: a client that opens a new `EventSource` (which cannot set
/// headers) passes the last id it saw here.
#[derive(Debug, serde::Deserialize)]
struct SseQuery {
    #[serde(rename = "lastEventId")]
    last_event_id: Option<String>,
}

/// The last event id the client saw: the `Last-Event-ID` header (the browser's own
/// reconnects), else the `lastEventId` query parameter. Present but unreadable counts as
/// "very old", so the client resyncs.
fn last_event_id(headers: &HeaderMap, query: &SseQuery) -> Option<u64> {
    let header = headers.get("last-event-id").map(|value| value.to_str().unwrap_or("").to_owned());
    header.or_else(|| query.last_event_id.clone()).map(|id| id.trim().parse().unwrap_or(0))
}

async fn stream_events(
    State(state): State<AppState>,
    me: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<SseQuery>,
) -> Result<impl IntoResponse, Error> {
    let subscription = state.hub.subscribe(me.id, me.login_id);
    let guard = ConnectionGuard { hub: state.hub.clone(), user: me.id, connection: subscription.connection };
    crate::telemetry::streams_open(1.0);
    tracing::debug!(user = %me.id, connection = subscription.connection, "event stream opened");
    let last = last_event_id(&headers, &query);
    let (catchup, through) =
        events::catch_up(&mut *state.db.acquire().await?, me.id, last, state.hub.settings()).await?;
    state.hub.caught_up(me.id, subscription.connection, through);
    let config = &state.config;
    let mut first = vec![SseEvent::default().retry(Duration::from_millis(config.sse_retry_ms))];
    match catchup {
        // Nothing to catch up on: a heartbeat with the newest id still tells the client
        // where it stands, so that a reconnect before any event resumes from here instead
        // of missing what happened in between [extension].
        Catchup::Nothing => {
            first.push(SseEvent::default().event(HEARTBEAT_EVENT).data("{}").id(through.to_string()));
        }
        Catchup::Replay(frames) => {
            crate::telemetry::catch_up(Some(frames.len()));
            first.extend(frames.iter().map(|frame| to_sse(frame)));
        }
        Catchup::Resync { current_id } => {
            crate::telemetry::catch_up(None);
            let resync = Event::Resync(Resync {});
            first.push(SseEvent::default().event(resync.name()).data(resync.to_data_json()).id(current_id.to_string()));
        }
    }
    // Live events this stream already has (from the replay) or that came twice are skipped;
    // one that arrives after a missing id ends the stream, so the client resumes from the
    // last it has (see `realtime::order`).
    let user = me.id;
    let live = ReceiverStream::new(subscription.live).scan(through, move |seen_through, frame| {
        let _ = &guard;
        let step = match order::next(&frame, seen_through) {
            Live::Send => {
                crate::telemetry::delivery_delay(frame.born.elapsed());
                Some(Some(to_sse(&frame)))
            }
            Live::Skip => Some(None),
            Live::Gap => {
                tracing::warn!(%user, after = *seen_through, "an event went missing on the way: ending the stream to replay it");
                None
            }
        };
        std::future::ready(step)
    });
    let live = live.filter_map(std::future::ready);
    // A stream the instance ends because it is stopping says "reconnect at once": a retry
    // delay of 1 ms, which the browser's EventSource follows with `Last-Event-ID`.
    let hub = state.hub.clone();
    let last = stream::once(async move { hub.is_draining().then(|| SseEvent::default().retry(DRAIN_RETRY)) })
        .filter_map(std::future::ready);
    let events: std::pin::Pin<Box<dyn Stream<Item = Result<SseEvent, Infallible>> + Send>> =
        Box::pin(stream::iter(first).chain(live).chain(last).map(Ok));
    // The keep-alive is the contract's comment line plus a `heartbeat` event [extension]: a
    // browser's EventSource never shows comments to the page, and the client's watchdog
    // needs to see that the connection is alive.
    let heartbeat = SseEvent::default().comment("").event(HEARTBEAT_EVENT).data("{}");
    let keep_alive = KeepAlive::new().interval(Duration::from_secs(config.sse_keepalive_secs.max(1))).event(heartbeat);
    // Proxies such as nginx must pass events through at once.
    let no_buffering = (header::HeaderName::from_static("x-accel-buffering"), HeaderValue::from_static("no"));
    Ok(([no_buffering], Sse::new(events).keep_alive(keep_alive)))
}

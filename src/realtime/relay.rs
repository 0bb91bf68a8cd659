//! The tabs of one browser talking to each other over a `BroadcastChannel`: the leader
//! passes on every frame of the stream and its connection state; the others greet it and
//! ask it to reconnect. A message is a plain JS object (structured-cloned by the browser),
//! written and read field by field: serde for these few fields cost the web app 12 KB. One
//! that cannot be read is ignored.

use gloo::events::EventListener;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};
use yew::Callback;

use crate::stores::connection::{ConnectionError, ConnectionState, ConnectionStore};

/// The channel's name, the same in every tab of this origin.
pub const CHANNEL_NAME: &str = "tandem:event-stream";

/// What tabs say to each other.
#[derive(Clone, Debug, PartialEq)]
pub enum RelayMessage {
    /// A frame of the stream as the leader received it (`id` empty when it had none).
    Frame { name: String, data: String, id: String },
    /// The leader's connection store, after every change.
    State { store: ConnectionStore },
    /// The leader lives: sent every few seconds and in answer to `Hello`, with the id of
    /// the last event it received, which a tab that takes over resumes from.
    Alive { last_event_id: Option<String> },
    /// A tab opened: the leader answers with its state.
    Hello,
    /// A tab's Retry button, or a tab back in view with the stream down: reconnect now.
    RetryNow,
}

fn set(object: &Object, name: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(name), &value);
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, name: &str) -> Option<String> {
    get(object, name).as_string()
}

/// A whole number (a count or ms since the epoch); JS numbers hold them exactly.
fn whole(object: &JsValue, name: &str) -> Option<u64> {
    get(object, name).as_f64().filter(|n| n.is_finite() && *n >= 0.0).map(|n| n as u64)
}

fn optional_text(value: Option<&str>) -> JsValue {
    value.map_or(JsValue::NULL, JsValue::from_str)
}

fn optional_whole(value: Option<u64>) -> JsValue {
    value.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64))
}

impl RelayMessage {
    /// The message as a JS object.
    pub fn to_js(&self) -> JsValue {
        let object = Object::new();
        let kind = match self {
            RelayMessage::Frame { name, data, id } => {
                set(&object, "name", JsValue::from_str(name));
                set(&object, "data", JsValue::from_str(data));
                set(&object, "id", JsValue::from_str(id));
                "frame"
            }
            RelayMessage::State { store } => {
                set(&object, "state", JsValue::from_str(store.state.as_str()));
                set(&object, "attempt", JsValue::from_f64(f64::from(store.attempt)));
                if let Some(error) = &store.last_error {
                    set(&object, "error", JsValue::from_str(&error.message));
                    set(&object, "error_at", optional_whole(Some(error.at)));
                    set(&object, "error_attempt", JsValue::from_f64(f64::from(error.attempt)));
                }
                set(&object, "connected_at", optional_whole(store.connected_at));
                set(&object, "last_event_at", optional_whole(store.last_event_at));
                set(&object, "next_retry_ms", optional_whole(store.next_retry_ms.map(u64::from)));
                set(&object, "last_event_id", optional_text(store.last_event_id.as_deref()));
                set(&object, "events", optional_whole(Some(store.events)));
                "state"
            }
            RelayMessage::Alive { last_event_id } => {
                set(&object, "last_event_id", optional_text(last_event_id.as_deref()));
                "alive"
            }
            RelayMessage::Hello => "hello",
            RelayMessage::RetryNow => "retry_now",
        };
        set(&object, "kind", JsValue::from_str(kind));
        object.into()
    }

    /// Reads a message; None for anything else.
    pub fn from_js(value: &JsValue) -> Option<RelayMessage> {
        let small = |name| whole(value, name).and_then(|n| u32::try_from(n).ok());
        Some(match text(value, "kind")?.as_str() {
            "frame" => {
                RelayMessage::Frame { name: text(value, "name")?, data: text(value, "data")?, id: text(value, "id")? }
            }
            "state" => RelayMessage::State {
                store: ConnectionStore {
                    state: ConnectionState::parse(&text(value, "state")?)?,
                    attempt: small("attempt")?,
                    last_error: text(value, "error").map(|message| ConnectionError {
                        message,
                        at: whole(value, "error_at").unwrap_or_default(),
                        attempt: small("error_attempt").unwrap_or_default(),
                    }),
                    connected_at: whole(value, "connected_at"),
                    last_event_at: whole(value, "last_event_at"),
                    next_retry_ms: small("next_retry_ms"),
                    last_event_id: text(value, "last_event_id"),
                    events: whole(value, "events").unwrap_or_default(),
                    leader: false,
                },
            },
            "alive" => RelayMessage::Alive { last_event_id: text(value, "last_event_id") },
            "hello" => RelayMessage::Hello,
            "retry_now" => RelayMessage::RetryNow,
            _ => return None,
        })
    }
}

/// An open channel; closed when dropped.
pub struct Relay {
    channel: BroadcastChannel,
    _listener: EventListener,
}

impl Relay {
    /// Opens the channel; None where the browser has no `BroadcastChannel`.
    pub fn open(on_message: Callback<RelayMessage>) -> Option<Relay> {
        let window = web_sys::window()?;
        if !js_sys::Reflect::has(&window, &JsValue::from_str("BroadcastChannel")).unwrap_or(false) {
            return None;
        }
        let channel = BroadcastChannel::new(CHANNEL_NAME).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            if let Some(message) = event.dyn_ref::<MessageEvent>().and_then(|m| RelayMessage::from_js(&m.data())) {
                on_message.emit(message);
            }
        });
        Some(Relay { channel, _listener: listener })
    }

    /// Sends a message to every other tab (not to this one).
    pub fn post(&self, message: &RelayMessage) {
        let _ = self.channel.post_message(&message.to_js());
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.channel.close();
    }
}

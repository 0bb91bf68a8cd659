//! The tabs of one browser talking to each other over a `BroadcastChannel`: the leader
//! passes on every frame of the stream and its connection state; the others greet it and
//! ask it to reconnect. A message is JSON in a string; one that cannot be read is ignored.

use gloo::events::EventListener;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};
use yew::Callback;

use crate::stores::connection::ConnectionStore;

/// The channel's name, the same in every tab of this origin.
pub const CHANNEL_NAME: &str = "tandem:event-stream";

/// What tabs say to each other.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
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
            let text = event.dyn_ref::<MessageEvent>().and_then(|message| message.data().as_string());
            if let Some(message) = text.and_then(|text| serde_json::from_str::<RelayMessage>(&text).ok()) {
                on_message.emit(message);
            }
        });
        Some(Relay { channel, _listener: listener })
    }

    /// Sends a message to every other tab (not to this one).
    pub fn post(&self, message: &RelayMessage) {
        if let Ok(text) = serde_json::to_string(message) {
            let _ = self.channel.post_message(&JsValue::from_str(&text));
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.channel.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_through_their_json() {
        let messages = [
            RelayMessage::Frame { name: "action_created".into(), data: "{}".into(), id: "17".into() },
            RelayMessage::State { store: ConnectionStore { attempt: 2, events: 9, ..ConnectionStore::default() } },
            RelayMessage::Alive { last_event_id: Some("17".into()) },
            RelayMessage::Hello,
            RelayMessage::RetryNow,
        ];
        for message in messages {
            let text = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<RelayMessage>(&text).unwrap(), message, "{text}");
        }
        assert!(serde_json::from_str::<RelayMessage>(r#"{"kind":"unknown"}"#).is_err());
    }
}

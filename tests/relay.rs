//! The messages between tabs, as the browser carries them (plain JS objects).

#![cfg(target_arch = "wasm32")]

use tandem::realtime::relay::RelayMessage;
use tandem::stores::connection::{ConnectionError, ConnectionState, ConnectionStore};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_message_reads_back_as_written() {
    let store = ConnectionStore {
        state: ConnectionState::Reconnecting,
        attempt: 3,
        last_error: Some(ConnectionError { message: "no byte for 45 s".into(), at: 1_764_500_000_123, attempt: 3 }),
        connected_at: None,
        last_event_at: Some(1_764_500_000_000),
        next_retry_ms: Some(2250),
        last_event_id: Some("1764499999000017".into()),
        events: 42,
        leader: false,
    };
    for message in [
        RelayMessage::Frame {
            name: "agreement_created".into(),
            data: r#"{"type":"agreement_created"}"#.into(),
            id: "17".into(),
        },
        RelayMessage::Frame { name: "heartbeat".into(), data: String::new(), id: String::new() },
        RelayMessage::State { store },
        RelayMessage::State { store: ConnectionStore::default() },
        RelayMessage::Alive { last_event_id: Some("17".into()) },
        RelayMessage::Alive { last_event_id: None },
        RelayMessage::Hello,
        RelayMessage::RetryNow,
    ] {
        assert_eq!(RelayMessage::from_js(&message.to_js()), Some(message));
    }
}

#[wasm_bindgen_test]
fn a_leader_flag_never_travels_and_nonsense_is_ignored() {
    let sent = RelayMessage::State { store: ConnectionStore { leader: true, ..ConnectionStore::default() } };
    let Some(RelayMessage::State { store }) = RelayMessage::from_js(&sent.to_js()) else { panic!("a state") };
    assert!(!store.leader, "the receiving tab does not lead");
    for nonsense in [
        JsValue::from_str("frame"),
        JsValue::NULL,
        js_sys::JSON::parse(r#"{"kind":"frame","name":"x"}"#).unwrap(),
        js_sys::JSON::parse(r#"{"kind":"state","state":"Sleeping","attempt":0}"#).unwrap(),
        js_sys::JSON::parse(r#"{"kind":"something else"}"#).unwrap(),
    ] {
        assert_eq!(RelayMessage::from_js(&nonsense), None);
    }
}

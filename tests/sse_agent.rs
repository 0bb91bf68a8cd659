//! The SSE agent against a real EventSource in the browser (streams served from data: URLs).

#![cfg(target_arch = "wasm32")]

mod common;

use std::cell::Cell;
use std::rc::Rc;

use common::*;
use tandem::api::resources;
use tandem::hooks::use_query_when;
use tandem::realtime::SseAgent;
use tandem::stores::auth::AuthStore;
use tandem::stores::cache::CacheStore;
use tandem::stores::connection::{ConnectionState, ConnectionStore};
use tandem::stores::dispatch;
use tandem_protocol::{Agreement, CoachingSessionId, LoginUser, Note};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

// Each test uses a session of its own: the cache is shared by the tests of this file.
const SESSION: &str = "00000000-0000-4000-8000-0000000000a1";
const RESYNC_SESSION: &str = "00000000-0000-4000-8000-0000000000a2";
const LOGOUT_SESSION: &str = "00000000-0000-4000-8000-0000000000a3";
const USER: &str = "00000000-0000-4000-8000-0000000000b2";

fn sign_in_someone() {
    let user: LoginUser = serde_json::from_value(serde_json::json!({
        "id": USER, "email": "t@tandem.test", "first_name": "T", "last_name": "Tester",
        "display_name": null, "timezone": "UTC", "roles": []}))
    .unwrap();
    dispatch::<AuthStore>().set(AuthStore { user: Some(user), ..Default::default() });
}

/// A stream that sends `frames` (each "name", "json data", "id") and then ends.
fn stream_url(frames: &[(&str, String, &str)]) -> String {
    let mut body = String::from("retry: 60000\n\n");
    for (name, data, id) in frames {
        if !id.is_empty() {
            body.push_str(&format!("id: {id}\n"));
        }
        body.push_str(&format!("event: {name}\ndata: {data}\n\n"));
    }
    format!("data:text/event-stream,{}", js_sys::encode_uri_component(&body))
}

fn agreement_event(id: &str, body: &str) -> String {
    serde_json::json!({"type": "agreement_created", "data": {"coaching_session_id": SESSION, "agreement": {
        "id": id, "coaching_session_id": SESSION, "body": body, "user_id": USER,
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"}}})
    .to_string()
}

#[derive(Properties, PartialEq)]
struct PageProps {
    url: AttrValue,
    requests: Rc<Cell<usize>>,
    #[prop_or(AttrValue::Static(SESSION))]
    session: AttrValue,
}

/// The agent plus a list of the session's agreements, fetched from a fake server.
#[component]
fn Page(props: &PageProps) -> Html {
    let requests = props.requests.clone();
    let session: Option<CoachingSessionId> = props.session.parse().ok();
    let agreements = use_query_when(session.map(resources::agreements), move |_| {
        let requests = requests.clone();
        async move {
            requests.set(requests.get() + 1);
            Ok::<Vec<Agreement>, tandem::api::ApiError>(Vec::new())
        }
    });
    let bodies: Vec<String> =
        agreements.data.as_ref().map(|l| l.iter().filter_map(|a| a.body.clone()).collect()).unwrap_or_default();
    html! {
        <>
            <SseAgent url={Some(props.url.clone())} />
            <p id="bodies">{ bodies.join(",") }</p>
        </>
    }
}

#[wasm_bindgen_test]
async fn events_reach_the_screen_and_bad_ones_are_ignored() {
    sign_in_someone();
    let url = stream_url(&[
        ("agreement_created", agreement_event("00000000-0000-4000-8000-0000000000c1", "first"), "7"),
        // Malformed and unknown events change nothing and break nothing.
        ("agreement_created", "{not json".into(), ""),
        (
            "action_deleted",
            serde_json::json!({"type": "action_deleted", "data": {"coaching_session_id": SESSION}}).to_string(),
            "",
        ),
        ("agreement_created", agreement_event("00000000-0000-4000-8000-0000000000c2", "second"), "8"),
    ]);
    let requests = Rc::new(Cell::new(0));
    let mounted = mount("/", html! { <Page url={url} requests={requests.clone()} /> }).await;
    let root = mounted.root.clone();
    wait_for(|| text(&root, "#bodies") == "first,second").await;
    assert_eq!(requests.get(), 1, "events that carry their entity need no request");
    let store = dispatch::<ConnectionStore>().get();
    assert_eq!(store.last_event_id.as_deref(), Some("8"));
    assert!(store.events >= 2);
    // The data: stream ends after its events: the agent notices and plans a reconnect.
    wait_for(|| dispatch::<ConnectionStore>().get().state == ConnectionState::Reconnecting).await;
    assert!(dispatch::<ConnectionStore>().get().last_error.is_some());
    mounted.app.destroy();
}

#[wasm_bindgen_test]
async fn a_resync_refetches_what_is_on_screen() {
    sign_in_someone();
    // Something cached but not on screen: it is only marked stale.
    let hidden = resources::notes(RESYNC_SESSION.parse().unwrap()).key().clone();
    dispatch::<CacheStore>()
        .apply(tandem::stores::cache::CacheAction::Loaded { key: hidden.clone(), data: Rc::new(Vec::<Note>::new()) });
    let url = stream_url(&[("resync", r#"{"type":"resync","data":{}}"#.into(), "9")]);
    let requests = Rc::new(Cell::new(0));
    let mounted = mount("/", html! { <Page url={url} requests={requests.clone()} session={RESYNC_SESSION} /> }).await;
    wait_for(|| requests.get() >= 2).await;
    let cache = dispatch::<CacheStore>().get();
    let entry = cache.entry(&hidden).unwrap();
    assert!(entry.stale && !entry.in_flight, "hidden entries wait for their next mount");
    mounted.app.destroy();
}

#[derive(Properties, PartialEq)]
struct ListenerProps {
    url: AttrValue,
    seen: Rc<Cell<usize>>,
}

#[component]
fn Listener(props: &ListenerProps) -> Html {
    let seen = props.seen.clone();
    let on_event = Callback::from(move |_: tandem_protocol::Event| seen.set(seen.get() + 1));
    html! { <SseAgent url={Some(props.url.clone())} on_event={Some(on_event)} /> }
}

#[wasm_bindgen_test]
async fn decoded_events_are_an_output_of_the_agent_and_unknown_ones_are_not() {
    sign_in_someone();
    let topics = |id: &str| {
        (
            "topics_changed",
            format!(r#"{{"type":"topics_changed","data":{{"coaching_session_id":"{SESSION}"}}}}"#),
            id.to_owned(),
        )
    };
    let (first, last) = (topics("1"), topics("3"));
    let url = stream_url(&[
        (first.0, first.1, &first.2),
        ("no_such_event", r#"{"type":"no_such_event","data":{}}"#.into(), "2"),
        (last.0, last.1, &last.2),
    ]);
    let seen = Rc::new(Cell::new(0));
    let mounted = mount("/", html! { <Listener url={url} seen={seen.clone()} /> }).await;
    // Events are handled in order: once the last one is in, the unknown one has been handled.
    wait_for(|| dispatch::<ConnectionStore>().get().last_event_id.as_deref() == Some("3")).await;
    assert_eq!(seen.get(), 2, "the unknown event is not passed on");
    assert!(matches!(
        dispatch::<ConnectionStore>().get().state,
        ConnectionState::Connected | ConnectionState::Reconnecting
    ));
    mounted.app.destroy();
}

#[wasm_bindgen_test]
async fn force_logout_signs_out_with_the_reason() {
    sign_in_someone();
    let url = stream_url(&[(
        "force_logout",
        r#"{"type":"force_logout","data":{"reason":"Your password was changed."}}"#.into(),
        "",
    )]);
    let requests = Rc::new(Cell::new(0));
    let mounted = mount("/", html! { <Page url={url} requests={requests} session={LOGOUT_SESSION} /> }).await;
    wait_for(|| dispatch::<AuthStore>().get().user.is_none()).await;
    let ended = dispatch::<AuthStore>().get().ended.clone();
    assert_eq!(ended, Some(tandem::stores::auth::SignOutReason::ForcedLogout("Your password was changed.".into())));
    mounted.app.destroy();
}

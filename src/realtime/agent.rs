//! The SSE agent: a renderless component that owns the one `EventSource` of the app.
//!
//! Its message interface: inputs [`AgentInput`] (connect, disconnect, retry now), sent with
//! [`send`] from anywhere; outputs the [`ConnectionStore`] (state changes) and the cache
//! (each decoded event, applied through the one event table, [`effects::apply_event`]).
//!
//! - Connects while someone is signed in (it follows the auth store, also when another tab
//!   clears it) and closes on sign-out and when the app goes away.
//! - After a failure of an open stream the browser reconnects by itself once, after the
//!   server's `retry:` and with `Last-Event-ID`; if that fails too, or the browser gave up
//!   (a non-200 answer), the agent closes it and reconnects with backoff and full jitter,
//!   passing the last id as `?lastEventId=` (a new EventSource cannot send the header).
//!   After ten attempts it stops in Error until the person retries.
//! - Every failure asks the server whether the session is alive: a 401 ends it.
//! - A reconnect without a last event id (the reference backend sends none) revalidates
//!   everything on screen; with one, the server replays or sends `resync`.
//! - Watchdog: once the server has shown it sends heartbeats, 45 s without a byte (or
//!   without an answer to a reconnect) means a dead connection.
//! - Back from a hidden tab with the stream down, it reconnects at once.

use std::cell::RefCell;
use std::collections::HashSet;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use tandem_protocol::{decode_event, Event, UserId, HEARTBEAT_EVENT, UNNAMED_EVENT};
use wasm_bindgen::JsCast;
use web_sys::{EventSource, EventSourceInit, MessageEvent};
use yew::prelude::*;
use yewdux::Dispatch;

use super::backoff;
use crate::config::api_url;
use crate::session;
use crate::stores::auth::{AuthStore, SignOutReason};
use crate::stores::connection::{ConnectionError, ConnectionState, ConnectionStore};
use crate::stores::{dispatch, effects, root_context};

/// What the rest of the app may ask of the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentInput {
    Connect,
    Disconnect,
    RetryNow,
}

thread_local! {
    static INBOX: RefCell<Option<Callback<AgentInput>>> = const { RefCell::new(None) };
}

/// Sends an input to the running agent (ignored when there is none).
pub fn send(input: AgentInput) {
    let inbox = INBOX.with(|inbox| inbox.borrow().clone());
    if let Some(inbox) = inbox {
        inbox.emit(input);
    }
}

fn log(message: &str) {
    gloo::console::log!(format!("[SSE] {message}"));
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Messages of the agent component.
pub enum Msg {
    Input(AgentInput),
    Auth(Option<UserId>),
    Opened,
    Failed,
    Received { name: String, data: String, id: String },
    ReconnectDue,
    Stable,
    WatchdogFired,
    VisibilityChanged,
}

/// The open EventSource and the closures it calls.
struct Stream {
    source: EventSource,
    _listeners: Vec<EventListener>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Props of [`SseAgent`].
#[derive(Clone, Debug, Default, PartialEq, Properties)]
pub struct SseAgentProps {
    /// The stream's URL; by default `<api base>/sse` (tests point it elsewhere).
    #[prop_or_default]
    pub url: Option<AttrValue>,
    /// Output: every decoded event, after the cache has been brought up to date.
    #[prop_or_default]
    pub on_event: Option<Callback<Event>>,
}

/// The agent; see the module documentation.
pub struct SseAgent {
    user: Option<UserId>,
    stream: Option<Stream>,
    attempt: u32,
    /// The browser is reconnecting by itself (after the server's `retry:`).
    browser_retrying: bool,
    /// The stream was open before, so the next open is a reconnect.
    was_connected: bool,
    heartbeats_seen: bool,
    last_event_id: Option<String>,
    reconnect: Option<Timeout>,
    stable: Option<Timeout>,
    watchdog: Option<Timeout>,
    logged_errors: HashSet<String>,
    watchdog_ms: u32,
    _auth: Dispatch<AuthStore>,
    _visibility: Option<EventListener>,
}

/// Key of a localStorage entry that shortens the watchdog, for tests and debugging.
pub const WATCHDOG_OVERRIDE_KEY: &str = "tandem:sse-watchdog-ms";

fn watchdog_override() -> Option<u32> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item(WATCHDOG_OVERRIDE_KEY).ok()??.parse().ok()
}

/// Changes the connection store. The change is boxed so that the store's update code is
/// compiled once, not once for each of the agent's changes (it keeps the web app small).
fn set_state(update: impl FnOnce(&mut ConnectionStore)) {
    apply_state(Box::new(update));
}

fn apply_state(update: Box<dyn FnOnce(&mut ConnectionStore) + '_>) {
    dispatch::<ConnectionStore>().reduce_mut(move |store| update(store));
}

impl SseAgent {
    fn open(&mut self, ctx: &Context<Self>) {
        self.stream = None;
        self.reconnect = None;
        let mut url = ctx.props().url.as_ref().map_or_else(|| api_url("/sse"), |url| url.to_string());
        if let Some(id) = &self.last_event_id {
            url.push_str(if url.contains('?') { "&" } else { "?" });
            url.push_str(&format!("lastEventId={id}"));
        }
        let init = EventSourceInit::new();
        init.set_with_credentials(true);
        let source = match EventSource::new_with_event_source_init_dict(&url, &init) {
            Ok(source) => source,
            Err(error) => {
                log(&format!("cannot open the event stream: {error:?}"));
                ctx.link().send_message(Msg::Failed);
                return;
            }
        };
        let mut listeners = Vec::new();
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&source, "open", move |_| link.send_message(Msg::Opened)));
        let link = ctx.link().clone();
        listeners.push(EventListener::new(&source, "error", move |_| link.send_message(Msg::Failed)));
        for name in Event::TYPES.iter().copied().chain([HEARTBEAT_EVENT, UNNAMED_EVENT]) {
            let link = ctx.link().clone();
            listeners.push(EventListener::new(&source, name, move |event| {
                if let Some(message) = event.dyn_ref::<MessageEvent>() {
                    link.send_message(Msg::Received {
                        name: name.to_owned(),
                        data: message.data().as_string().unwrap_or_default(),
                        id: message.last_event_id(),
                    });
                }
            }));
        }
        self.stream = Some(Stream { source, _listeners: listeners });
        // A connection that never answers is as dead as one that went silent.
        self.arm_watchdog(ctx);
        let state = if self.was_connected || self.attempt > 0 {
            ConnectionState::Reconnecting
        } else {
            ConnectionState::Connecting
        };
        let attempt = self.attempt;
        set_state(|s| {
            s.state = state;
            s.attempt = attempt;
            s.next_retry_ms = None;
        });
    }

    fn close(&mut self) {
        self.stream = None;
        self.reconnect = None;
        self.stable = None;
        self.watchdog = None;
        self.browser_retrying = false;
    }

    fn arm_watchdog(&mut self, ctx: &Context<Self>) {
        if !self.heartbeats_seen {
            return;
        }
        let link = ctx.link().clone();
        self.watchdog = Some(Timeout::new(self.watchdog_ms, move || link.send_message(Msg::WatchdogFired)));
    }

    /// Asks the server whether the session still lives; a 401 ends it (through the API
    /// client, which signs out on any 401).
    fn check_session(&self) {
        if let Some(user) = self.user {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = crate::api::client::get::<serde::de::IgnoredAny>(&format!("/users/{user}")).await;
            });
        }
    }

    /// The stream failed: let the browser retry once, then back off on our own.
    fn on_failure(&mut self, ctx: &Context<Self>, reason: &str) {
        self.stable = None;
        self.watchdog = None;
        let browser_will_retry =
            self.stream.as_ref().is_some_and(|s| s.source.ready_state() == EventSource::CONNECTING);
        self.check_session();
        self.attempt += 1;
        let attempt = self.attempt;
        let error = ConnectionError { message: reason.to_owned(), at: now_ms(), attempt };
        if browser_will_retry && !self.browser_retrying && self.was_connected && attempt == 1 {
            self.browser_retrying = true;
            log(&format!("connection lost ({reason}); the browser reconnects after the server's retry delay"));
            set_state(|s| {
                s.state = ConnectionState::Reconnecting;
                s.attempt = attempt;
                s.last_error = Some(error);
                s.connected_at = None;
            });
            return;
        }
        self.stream = None;
        self.browser_retrying = false;
        if !backoff::may_retry(attempt) {
            log(&format!("giving up after {} attempts; live updates paused", attempt - 1));
            set_state(|s| {
                s.state = ConnectionState::Error;
                s.attempt = attempt - 1;
                s.last_error = Some(error);
                s.connected_at = None;
                s.next_retry_ms = None;
            });
            return;
        }
        let delay = backoff::delay_ms(attempt, js_sys::Math::random());
        log(&format!("reconnecting in {delay} ms (attempt {attempt}): {reason}"));
        let link = ctx.link().clone();
        self.reconnect = Some(Timeout::new(delay, move || link.send_message(Msg::ReconnectDue)));
        set_state(|s| {
            s.state = ConnectionState::Reconnecting;
            s.attempt = attempt;
            s.last_error = Some(error);
            s.connected_at = None;
            s.next_retry_ms = Some(delay);
        });
    }

    fn on_event(&mut self, ctx: &Context<Self>, name: &str, data: &str, id: String) {
        if !id.is_empty() {
            self.last_event_id = Some(id.clone());
        }
        self.arm_watchdog(ctx);
        if name == HEARTBEAT_EVENT {
            if !self.heartbeats_seen {
                self.heartbeats_seen = true;
                self.arm_watchdog(ctx);
            }
            set_state(|s| s.last_event_at = Some(now_ms()));
            return;
        }
        let last_id = self.last_event_id.clone();
        set_state(|s| {
            s.last_event_at = Some(now_ms());
            s.last_event_id = last_id;
            s.events += 1;
        });
        match decode_event(name, data) {
            Ok(Event::ForceLogout(logout)) => {
                log(&format!("force_logout: {}", logout.reason));
                self.close();
                session::end(SignOutReason::ForcedLogout(logout.reason));
            }
            Ok(event) => {
                let changes = effects::of_event(&event);
                log(&format!("{}: {} change(s) to the cache", event.name(), changes.len()));
                effects::apply(changes);
                if let Some(on_event) = &ctx.props().on_event {
                    on_event.emit(event);
                }
            }
            Err(error) => {
                // Logged once per kind; never breaks the connection or the page.
                if self.logged_errors.insert(format!("{name}:{:?}", std::mem::discriminant(&error))) {
                    log(&format!("ignored an event: {error}"));
                }
            }
        }
    }
}

impl Component for SseAgent {
    type Message = Msg;
    type Properties = SseAgentProps;

    fn create(ctx: &Context<Self>) -> Self {
        let inbox = ctx.link().callback(Msg::Input);
        INBOX.with(|slot| *slot.borrow_mut() = Some(inbox));
        let link = ctx.link().clone();
        let auth = Dispatch::<AuthStore>::new(&root_context()).subscribe(move |auth: std::rc::Rc<AuthStore>| {
            link.send_message(Msg::Auth(auth.user.as_ref().map(|u| u.id)))
        });
        let link = ctx.link().clone();
        let visibility = web_sys::window().and_then(|w| w.document()).map(|document| {
            EventListener::new(&document, "visibilitychange", move |_| link.send_message(Msg::VisibilityChanged))
        });
        SseAgent {
            user: None,
            stream: None,
            attempt: 0,
            browser_retrying: false,
            was_connected: false,
            heartbeats_seen: false,
            last_event_id: None,
            reconnect: None,
            stable: None,
            watchdog: None,
            logged_errors: HashSet::new(),
            watchdog_ms: watchdog_override().unwrap_or(backoff::WATCHDOG_MS),
            _auth: auth,
            _visibility: visibility,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Auth(user) if user == self.user => {}
            Msg::Auth(user) => {
                self.user = user;
                self.close();
                self.attempt = 0;
                self.was_connected = false;
                self.last_event_id = None;
                match user {
                    Some(_) => self.open(ctx),
                    None => {
                        log("signed out: stream closed");
                        dispatch::<ConnectionStore>().set(ConnectionStore::default());
                    }
                }
            }
            Msg::Input(AgentInput::Connect) | Msg::Input(AgentInput::RetryNow) => {
                if self.user.is_some() {
                    self.close();
                    self.attempt = 0;
                    log("connecting on request");
                    self.open(ctx);
                }
            }
            Msg::Input(AgentInput::Disconnect) => {
                self.close();
                set_state(|s| s.state = ConnectionState::Disconnected);
            }
            Msg::Opened => {
                let reconnect = self.was_connected || self.attempt > 0;
                self.was_connected = true;
                self.browser_retrying = false;
                log(if reconnect { "connection re-established" } else { "connection established" });
                if reconnect && self.last_event_id.is_none() {
                    // No ids from this server: nothing can be replayed, so revalidate.
                    log("no event ids to replay from: revalidating everything on screen");
                    effects::revalidate_everything();
                }
                let link = ctx.link().clone();
                self.stable = Some(Timeout::new(backoff::STABLE_MS, move || link.send_message(Msg::Stable)));
                self.arm_watchdog(ctx);
                set_state(|s| {
                    s.state = ConnectionState::Connected;
                    s.connected_at = Some(now_ms());
                    s.next_retry_ms = None;
                });
            }
            Msg::Stable => {
                self.attempt = 0;
                set_state(|s| s.attempt = 0);
            }
            Msg::Failed => self.on_failure(ctx, "the event stream failed"),
            Msg::WatchdogFired => {
                let reason = format!("no byte for {} s", self.watchdog_ms / 1000);
                log(&format!("{reason}: the connection is dead"));
                self.stream = None;
                self.on_failure(ctx, &reason);
            }
            Msg::ReconnectDue => self.open(ctx),
            Msg::Received { name, data, id } => self.on_event(ctx, &name, &data, id),
            Msg::VisibilityChanged => {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                let state = dispatch::<ConnectionStore>().get().state;
                if visible && self.user.is_some() && state != ConnectionState::Connected {
                    log("tab visible again with the stream down: reconnecting now");
                    self.close();
                    self.attempt = 0;
                    self.open(ctx);
                }
            }
        }
        false
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        crate::render_count::count_render();
        Html::default()
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        INBOX.with(|slot| *slot.borrow_mut() = None);
        self.close();
    }
}

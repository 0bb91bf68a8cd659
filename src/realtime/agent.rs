//! The SSE agent: a renderless component, one per tab, that keeps the browser's one event
//! stream. Its message interface: inputs [`AgentInput`] (connect, disconnect, retry now),
//! sent with [`send`] from anywhere; outputs the [`ConnectionStore`] (state changes) and the
//! cache (each decoded event, applied through the one event table, [`effects::apply`]).
//!
//! **One stream per browser.** The agents of a browser's tabs are a leader and followers
//! (the design card's worker-style component): the tab holding a Web Lock
//! ([`super::leadership`]) owns the `EventSource` and relays every frame, its connection
//! state and the last event id over a `BroadcastChannel` ([`super::relay`]); the others hold
//! no stream and apply the relayed frames to their own cache. When the leader closes,
//! reloads or crashes, the browser hands the lock to a waiting tab, which opens the stream
//! from the last relayed event id, so the server replays what fell in the gap. A follower
//! that hears nothing from the leader for 45 s (a tab frozen in the background) takes the
//! lock away. Where the browser lacks either API, every tab keeps its own stream.
//!
//! The leader's stream:
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
//! - Back from a hidden tab with the stream down, it reconnects at once (a follower asks the
//!   leader to).

use std::cell::RefCell;
use std::collections::HashSet;

use gloo::events::EventListener;
use gloo::timers::callback::{Interval, Timeout};
use tandem_protocol::{decode_event, Event, UserId, HEARTBEAT_EVENT, UNNAMED_EVENT};
use wasm_bindgen::JsCast;
use web_sys::{EventSource, EventSourceInit, MessageEvent};
use yew::prelude::*;
use yewdux::Dispatch;

use super::backoff;
use super::leadership::{self, Leadership};
use super::relay::{Relay, RelayMessage};
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

/// Now, in whole ms since the epoch.
fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Messages of the agent component.
pub enum Msg {
    Input(AgentInput),
    Auth(Option<UserId>),
    Opened,
    Failed,
    Received {
        name: String,
        data: String,
        id: String,
    },
    ReconnectDue,
    Stable,
    WatchdogFired,
    VisibilityChanged,
    /// Another tab said something.
    Relayed(RelayMessage),
    /// This tab now holds the lock: it leads.
    Led,
    /// The lock was taken away, or could not be asked for.
    Deposed,
    /// Time for the leader to say it lives.
    Beacon,
    /// A follower heard nothing from the leader for too long.
    Silence,
    /// The connection store changed (the leader relays it).
    StoreChanged(std::rc::Rc<ConnectionStore>),
}

/// What this tab does with the browser's stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Holds the stream (and relays it, when tabs can share).
    Leader,
    /// Gets the leader's frames relayed; waits for the lock.
    Follower,
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
    max_attempts: u32,
    role: Role,
    /// The other tabs, when the browser can share one stream among them.
    relay: Option<Relay>,
    /// This tab's request for the lock (held while leading, queued while following).
    leadership: Option<Leadership>,
    /// The leader's "I live" clock.
    beacon: Option<Interval>,
    /// A follower's deadline for hearing from the leader.
    silence: Option<Timeout>,
    silence_ms: u32,
    /// A follower heard a leader since it started: taking over is then a reconnect.
    heard_leader: bool,
    _auth: Dispatch<AuthStore>,
    _store: Dispatch<ConnectionStore>,
    _visibility: Option<EventListener>,
}

/// Key of a localStorage entry that shortens the watchdog, for tests and debugging.
pub const WATCHDOG_OVERRIDE_KEY: &str = "tandem:sse-watchdog-ms";
/// Key of a localStorage entry that changes the number of reconnection attempts, for tests.
pub const ATTEMPTS_OVERRIDE_KEY: &str = "tandem:sse-max-attempts";
/// Key of a localStorage entry that shortens how long a follower waits for the leader.
pub const SILENCE_OVERRIDE_KEY: &str = "tandem:sse-silence-ms";

fn override_of(key: &str) -> Option<u32> {
    let storage = web_sys::window()?.local_storage().ok()??;
    storage.get_item(key).ok()??.parse().ok()
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
    /// Asks for the lock (queued behind the holder, or taking it with `steal`), dropping
    /// this tab's earlier request.
    fn request_leadership(&mut self, ctx: &Context<Self>, steal: bool) {
        self.leadership = None;
        let link = ctx.link();
        self.leadership = Leadership::request(steal, link.callback(|()| Msg::Led), link.callback(|()| Msg::Deposed));
    }

    /// This tab now holds the stream.
    fn start_leading(&mut self, ctx: &Context<Self>) {
        self.role = Role::Leader;
        self.silence = None;
        if self.relay.is_some() {
            log("this tab now holds the browser's event stream");
            let link = ctx.link().clone();
            // Three beacons in every silence a follower waits through.
            let every = self.silence_ms / backoff::BEACONS_PER_SILENCE;
            self.beacon = Some(Interval::new(every, move || link.send_message(Msg::Beacon)));
            self.post_alive();
        }
        // Taking over from another tab is a reconnect: the server replays from the last
        // relayed event id (or, without ids, everything on screen is revalidated).
        self.was_connected = self.heard_leader;
        self.attempt = 0;
        set_state(|s| s.leader = true);
        if self.user.is_some() {
            self.open(ctx);
        }
    }

    /// Another tab holds the stream now.
    fn start_following(&mut self, ctx: &Context<Self>) {
        self.close();
        self.role = Role::Follower;
        self.beacon = None;
        set_state(|s| s.leader = false);
        self.arm_silence(ctx);
    }

    /// A follower's deadline for hearing from the leader, with up to 2 s of jitter so
    /// that followers do not all take over at once.
    fn arm_silence(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        let wait = self.silence_ms + (js_sys::Math::random() * 2_000.0) as u32;
        self.silence = Some(Timeout::new(wait, move || link.send_message(Msg::Silence)));
    }

    fn post_alive(&self) {
        if let Some(relay) = &self.relay {
            relay.post(&RelayMessage::Alive { last_event_id: self.last_event_id.clone() });
        }
    }

    /// Reconnects at once (the Retry button, or a tab back in view).
    fn retry_now(&mut self, ctx: &Context<Self>) {
        if self.user.is_some() {
            self.close();
            self.attempt = 0;
            log("connecting on request");
            self.open(ctx);
        }
    }

    /// What another tab said.
    fn on_relayed(&mut self, ctx: &Context<Self>, message: RelayMessage) {
        match (self.role, message) {
            (Role::Follower, RelayMessage::Frame { name, data, id }) => {
                self.heard(ctx);
                if !id.is_empty() {
                    self.last_event_id = Some(id);
                }
                self.handle_frame(ctx, &name, &data);
            }
            (Role::Follower, RelayMessage::State { store }) => {
                self.heard(ctx);
                if store.last_event_id.is_some() {
                    self.last_event_id = store.last_event_id.clone();
                }
                dispatch::<ConnectionStore>().set(store);
            }
            (Role::Follower, RelayMessage::Alive { last_event_id }) => {
                self.heard(ctx);
                if last_event_id.is_some() {
                    self.last_event_id = last_event_id;
                }
            }
            (Role::Leader, RelayMessage::Hello) => {
                if let Some(relay) = &self.relay {
                    relay.post(&RelayMessage::State { store: (*dispatch::<ConnectionStore>().get()).clone() });
                }
                self.post_alive();
            }
            (Role::Leader, RelayMessage::RetryNow) => self.retry_now(ctx),
            // Meant for the other role (two leaders for a moment during a take-over).
            _ => {}
        }
    }

    /// A follower heard from the leader.
    fn heard(&mut self, ctx: &Context<Self>) {
        self.heard_leader = true;
        self.arm_silence(ctx);
    }

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
        if attempt > self.max_attempts {
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
        if let Some(relay) = &self.relay {
            relay.post(&RelayMessage::Frame { name: name.to_owned(), data: data.to_owned(), id: id.clone() });
        }
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
        self.handle_frame(ctx, name, data);
    }

    /// Applies one frame of the stream, received or relayed.
    fn handle_frame(&mut self, ctx: &Context<Self>, name: &str, data: &str) {
        if name == HEARTBEAT_EVENT {
            return;
        }
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
                crate::live_notes::on_event(&event);
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
        let link = ctx.link().clone();
        let store = Dispatch::<ConnectionStore>::new(&root_context())
            .subscribe_silent(move |store: std::rc::Rc<ConnectionStore>| link.send_message(Msg::StoreChanged(store)));
        // Tabs share one stream where the browser can elect a leader and relay to the rest.
        let relay = if leadership::supported() { Relay::open(ctx.link().callback(Msg::Relayed)) } else { None };
        let mut agent = SseAgent {
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
            watchdog_ms: override_of(WATCHDOG_OVERRIDE_KEY).unwrap_or(backoff::WATCHDOG_MS),
            max_attempts: override_of(ATTEMPTS_OVERRIDE_KEY).unwrap_or(backoff::MAX_ATTEMPTS),
            role: Role::Follower,
            relay,
            leadership: None,
            beacon: None,
            silence: None,
            silence_ms: override_of(SILENCE_OVERRIDE_KEY).unwrap_or(backoff::SILENCE_MS),
            heard_leader: false,
            _auth: auth,
            _store: store,
            _visibility: visibility,
        };
        if agent.relay.is_some() {
            agent.request_leadership(ctx, false);
        }
        if let (Some(relay), Some(_)) = (&agent.relay, &agent.leadership) {
            relay.post(&RelayMessage::Hello);
            agent.arm_silence(ctx);
        } else {
            log("this browser cannot share one stream among tabs: this tab keeps its own");
            agent.relay = None;
            agent.role = Role::Leader;
            set_state(|s| s.leader = true);
        }
        agent
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
                match (user, self.role) {
                    (Some(_), Role::Leader) => self.open(ctx),
                    (Some(_), Role::Follower) => {}
                    (None, role) => {
                        if role == Role::Leader {
                            log("signed out: stream closed");
                        }
                        let leader = role == Role::Leader;
                        dispatch::<ConnectionStore>().set(ConnectionStore { leader, ..ConnectionStore::default() });
                    }
                }
            }
            Msg::Input(AgentInput::Connect) | Msg::Input(AgentInput::RetryNow) => match (self.role, &self.relay) {
                (Role::Follower, Some(relay)) => relay.post(&RelayMessage::RetryNow),
                _ => self.retry_now(ctx),
            },
            Msg::Input(AgentInput::Disconnect) => {
                if self.role == Role::Leader {
                    self.close();
                    set_state(|s| s.state = ConnectionState::Disconnected);
                }
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
                    crate::live_notes::catch_up_all();
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
                    match (self.role, &self.relay) {
                        (Role::Follower, Some(relay)) => relay.post(&RelayMessage::RetryNow),
                        _ => self.retry_now(ctx),
                    }
                }
            }
            Msg::Relayed(message) => self.on_relayed(ctx, message),
            Msg::Led => self.start_leading(ctx),
            Msg::Deposed if self.role == Role::Leader => {
                log("another tab took the event stream over");
                self.start_following(ctx);
                self.request_leadership(ctx, false);
            }
            Msg::Deposed => {
                log("cannot take part in choosing the tab that holds the stream: this tab keeps its own");
                self.leadership = None;
                self.relay = None;
                self.start_leading(ctx);
            }
            Msg::Beacon => self.post_alive(),
            Msg::Silence if self.role == Role::Follower => {
                log(&format!(
                    "no word from the tab holding the stream for {} s: taking it over",
                    self.silence_ms / 1000
                ));
                self.request_leadership(ctx, true);
            }
            Msg::Silence => {}
            Msg::StoreChanged(store) => {
                if let (Role::Leader, Some(relay)) = (self.role, &self.relay) {
                    relay.post(&RelayMessage::State { store: (*store).clone() });
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
        // Gives the lock back: a waiting tab takes the stream over at once.
        self.leadership = None;
        self.beacon = None;
        self.silence = None;
    }
}

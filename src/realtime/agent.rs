//! The SSE agent: a renderless component, one per tab, that keeps the browser's one event
//! stream. Its message interface: input [`AgentInput`] sent with [`send`] from anywhere;
//! outputs the [`ConnectionStore`] (state changes) and the cache (each decoded event, applied
//! through the one event table, [`effects::apply`]).
//!
//! What to do is decided by two pure state machines: [`Connection`] (the stream: open,
//! backoff with jitter, watchdog, last event id) and [`TabRole`] (which tab holds the
//! stream: Web Lock leadership, beacon, silence, hand-over). The component feeds them the
//! browser's callbacks and runs the commands they return: it opens and closes the
//! `EventSource`, arms the timers, posts to the other tabs and changes the stores.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::net::http::Method;
use gloo::timers::callback::Timeout;
use tandem_protocol::{decode_event, Event, UserId, HEARTBEAT_EVENT, UNNAMED_EVENT};
use wasm_bindgen::JsCast;
use web_sys::{EventSource, EventSourceInit, MessageEvent};
use yew::prelude::*;
use yewdux::Dispatch;

use super::backoff;
use super::connection::{self, Change, Connection};
use super::follower::Follower;
use super::leadership::{self, Leadership};
use super::relay::{Relay, RelayMessage};
use super::tab_role::{self, Say, TabRole};
use crate::api::client::{Body, Call};
use crate::config::api_url;
use crate::session;
use crate::stores::auth::{AuthStore, SignOutReason};
use crate::stores::connection::{ConnectionError, ConnectionState, ConnectionStore};
use crate::stores::{dispatch, effects, root_context};

/// What the rest of the app may ask of the agent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentInput {
    /// Reconnect now (the Retry button); a tab that does not hold the stream asks the one
    /// that does.
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

fn random() -> f64 {
    js_sys::Math::random()
}

/// Messages of the agent component: the browser's callbacks, for the machines.
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
    ConnectionClock(connection::Timer, u32),
    RoleClock(tab_role::Timer, u32),
    VisibilityChanged,
    /// Another tab said something.
    Relayed(RelayMessage),
    /// This tab now holds the lock.
    LockGranted,
    /// The lock was taken away, or could not be asked for.
    LockLost,
    /// The connection store changed (the leader relays it).
    StoreChanged,
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
    /// The app's part that follows the stream beside the cache (the session app's live notes).
    #[prop_or_default]
    pub follower: Option<Follower>,
}

/// The frame being received, while the connection machine decides what to do with it.
struct Frame<'a> {
    name: &'a str,
    data: &'a str,
    id: &'a str,
}

/// The agent; see the module documentation.
pub struct SseAgent {
    user: Option<UserId>,
    connection: Connection,
    tab: TabRole,
    stream: Option<Stream>,
    connection_clocks: [Option<Timeout>; 3],
    role_clocks: [Option<Timeout>; 2],
    /// The other tabs, when the browser can share one stream among them.
    relay: Option<Relay>,
    /// This tab's request for the lock (held while leading, queued while waiting).
    leadership: Option<Leadership>,
    logged_errors: HashSet<String>,
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
/// compiled once, not once for each kind of change (it keeps the web app small).
fn set_state(update: impl FnOnce(&mut ConnectionStore)) {
    apply_state(Box::new(update));
}

fn apply_state(update: Box<dyn FnOnce(&mut ConnectionStore) + '_>) {
    dispatch::<ConnectionStore>().reduce_mut(move |store| update(store));
}

/// Applies a change the connection machine published, at the clock's time.
fn publish(change: Change) {
    let now = js_sys::Date::now() as u64;
    let error = |message: String, attempt: u32| Some(ConnectionError { message, at: now, attempt });
    match change {
        Change::Reset { leader } => dispatch::<ConnectionStore>().set(ConnectionStore { leader, ..Default::default() }),
        change => set_state(move |s| match change {
            Change::Opening { state, attempt } => {
                s.state = state;
                s.attempt = attempt;
                s.next_retry_ms = None;
            }
            Change::Connected => {
                s.state = ConnectionState::Connected;
                s.connected_at = Some(now);
                s.next_retry_ms = None;
            }
            Change::Stable => s.attempt = 0,
            Change::Lost { attempt, reason, next_retry_ms } => {
                s.state = ConnectionState::Reconnecting;
                s.attempt = attempt;
                s.last_error = error(reason, attempt);
                s.connected_at = None;
                s.next_retry_ms = next_retry_ms;
            }
            Change::GaveUp { attempts, reason } => {
                s.state = ConnectionState::Error;
                s.attempt = attempts;
                s.last_error = error(reason, attempts + 1);
                s.connected_at = None;
                s.next_retry_ms = None;
            }
            Change::Heartbeat => s.last_event_at = Some(now),
            Change::Event { last_event_id } => {
                s.last_event_at = Some(now);
                s.last_event_id = last_event_id;
                s.events += 1;
            }
            Change::Reset { .. } => {}
        }),
    }
}

impl SseAgent {
    /// Feeds the connection machine and runs what it says; `frame` is the one received, for
    /// `Input::Frame`.
    fn run_connection(&mut self, ctx: &Context<Self>, input: connection::Input, frame: Option<Frame<'_>>) {
        for command in self.connection.step(input) {
            match command {
                connection::Command::Open { last_event_id } => self.open(ctx, last_event_id),
                connection::Command::Close => self.stream = None,
                connection::Command::Arm { timer, ms, token } => {
                    let link = ctx.link().clone();
                    self.connection_clocks[timer as usize] =
                        Some(Timeout::new(ms, move || link.send_message(Msg::ConnectionClock(timer, token))));
                }
                connection::Command::Cancel(timer) => self.connection_clocks[timer as usize] = None,
                connection::Command::CheckSession => self.check_session(),
                connection::Command::RevalidateEverything => {
                    effects::revalidate_everything();
                    if let Some(follower) = ctx.props().follower {
                        (follower.catch_up)();
                    }
                }
                connection::Command::Relay => {
                    if let (Some(relay), Some(frame)) = (&self.relay, &frame) {
                        let (name, data, id) = (frame.name.to_owned(), frame.data.to_owned(), frame.id.to_owned());
                        relay.post(&RelayMessage::Frame { name, data, id });
                    }
                }
                connection::Command::Apply => {
                    if let Some(frame) = &frame {
                        self.apply_frame(ctx, frame.name, frame.data);
                    }
                }
                connection::Command::Publish(change) => publish(change),
                connection::Command::Log(message) => log(&message),
            }
        }
    }

    /// Feeds the tab-role machine and runs what it says.
    fn run_tab(&mut self, ctx: &Context<Self>, input: tab_role::Input) {
        for command in self.tab.step(input) {
            match command {
                tab_role::Command::RequestLock { steal } => {
                    self.leadership = None;
                    let link = ctx.link();
                    self.leadership = Leadership::request(
                        steal,
                        link.callback(|()| Msg::LockGranted),
                        link.callback(|()| Msg::LockLost),
                    );
                    if self.leadership.is_none() {
                        link.send_message(Msg::LockLost);
                    }
                }
                tab_role::Command::StopSharing => {
                    self.leadership = None;
                    self.relay = None;
                }
                tab_role::Command::Post(say) => self.post(say),
                tab_role::Command::Arm { timer, ms, token } => {
                    let link = ctx.link().clone();
                    self.role_clocks[timer as usize] =
                        Some(Timeout::new(ms, move || link.send_message(Msg::RoleClock(timer, token))));
                }
                tab_role::Command::Cancel(timer) => self.role_clocks[timer as usize] = None,
                tab_role::Command::Lead { reconnect } => {
                    set_state(|s| s.leader = true);
                    self.run_connection(ctx, connection::Input::Lead { reconnect }, None);
                }
                tab_role::Command::Follow => {
                    self.run_connection(ctx, connection::Input::Follow, None);
                    set_state(|s| s.leader = false);
                }
                tab_role::Command::Resume(id) => self.run_connection(ctx, connection::Input::Resume(id), None),
                tab_role::Command::Apply { name, data } => self.apply_frame(ctx, &name, &data),
                tab_role::Command::SetStore(store) => dispatch::<ConnectionStore>().set(store),
                tab_role::Command::RetryStream => self.run_connection(ctx, connection::Input::RetryNow, None),
                tab_role::Command::Log(message) => log(&message),
            }
        }
    }

    /// Tells the other tabs something, with the values of now.
    fn post(&self, say: Say) {
        let Some(relay) = &self.relay else { return };
        let message = match say {
            Say::Hello => RelayMessage::Hello,
            Say::RetryNow => RelayMessage::RetryNow,
            Say::Alive => RelayMessage::Alive { last_event_id: self.connection.last_event_id().map(str::to_owned) },
            Say::State => RelayMessage::State { store: (*dispatch::<ConnectionStore>().get()).clone() },
        };
        relay.post(&message);
    }

    fn open(&mut self, ctx: &Context<Self>, last_event_id: Option<String>) {
        self.stream = None;
        let mut url = ctx.props().url.as_ref().map_or_else(|| api_url("/sse"), |url| url.to_string());
        if let Some(id) = &last_event_id {
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
    }

    /// Asks the server whether the session still lives; a 401 ends it (through the API
    /// client, which signs out on any 401).
    fn check_session(&self) {
        if let Some(user) = self.user {
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/users/{user}");
                let _ = crate::api::client::ack(Method::GET, &path, Body::None, Call::JSON).await;
            });
        }
    }

    /// Applies one frame of the stream, received or relayed.
    fn apply_frame(&mut self, ctx: &Context<Self>, name: &str, data: &str) {
        if name == HEARTBEAT_EVENT {
            return;
        }
        match decode_event(name, data) {
            Ok(Event::ForceLogout(logout)) => {
                log(&format!("force_logout: {}", logout.reason));
                self.run_connection(ctx, connection::Input::Halt, None);
                session::end(SignOutReason::ForcedLogout(logout.reason));
            }
            Ok(event) => {
                let changes = effects::of_event(&event);
                log(&format!("{}: {} change(s) to the cache", event.name(), changes.len()));
                effects::apply(changes);
                if let Some(follower) = ctx.props().follower {
                    (follower.on_event)(&event);
                }
                session::on_event(&event);
                crate::browser_notifications::on_event(&event);
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
        let auth = Dispatch::<AuthStore>::new(&root_context())
            .subscribe(move |auth: Rc<AuthStore>| link.send_message(Msg::Auth(auth.user.as_ref().map(|u| u.id))));
        let link = ctx.link().clone();
        let visibility = web_sys::window().and_then(|w| w.document()).map(|document| {
            EventListener::new(&document, "visibilitychange", move |_| link.send_message(Msg::VisibilityChanged))
        });
        let link = ctx.link().clone();
        let store = Dispatch::<ConnectionStore>::new(&root_context())
            .subscribe_silent(move |_: Rc<ConnectionStore>| link.send_message(Msg::StoreChanged));
        // Tabs share one stream where the browser can elect a leader and relay to the rest.
        let relay = if leadership::supported() { Relay::open(ctx.link().callback(Msg::Relayed)) } else { None };
        let settings = connection::Settings {
            watchdog_ms: override_of(WATCHDOG_OVERRIDE_KEY).unwrap_or(backoff::WATCHDOG_MS),
            max_attempts: override_of(ATTEMPTS_OVERRIDE_KEY).unwrap_or(backoff::MAX_ATTEMPTS),
        };
        let silence_ms = override_of(SILENCE_OVERRIDE_KEY).unwrap_or(backoff::SILENCE_MS);
        let mut agent = SseAgent {
            user: None,
            connection: Connection::new(settings, random),
            tab: TabRole::new(silence_ms, random),
            stream: None,
            connection_clocks: Default::default(),
            role_clocks: Default::default(),
            logged_errors: HashSet::new(),
            relay,
            leadership: None,
            _auth: auth,
            _store: store,
            _visibility: visibility,
        };
        let shareable = agent.relay.is_some();
        agent.run_tab(ctx, tab_role::Input::Start { shareable });
        agent
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Auth(user) if user == self.user => {}
            Msg::Auth(user) => {
                self.user = user;
                self.run_connection(ctx, connection::Input::Auth { signed_in: user.is_some() }, None);
            }
            Msg::Input(AgentInput::RetryNow) => self.run_tab(ctx, tab_role::Input::RetryWanted),
            Msg::Opened => self.run_connection(ctx, connection::Input::Opened, None),
            Msg::Failed => {
                let browser_will_retry =
                    self.stream.as_ref().is_some_and(|s| s.source.ready_state() == EventSource::CONNECTING);
                self.run_connection(ctx, connection::Input::Failed { browser_will_retry }, None);
            }
            Msg::Received { name, data, id } => {
                let input = connection::Input::Frame { heartbeat: name == HEARTBEAT_EVENT, id: id.clone() };
                self.run_connection(ctx, input, Some(Frame { name: &name, data: &data, id: &id }));
            }
            Msg::ConnectionClock(timer, token) => {
                self.connection_clocks[timer as usize] = None;
                self.run_connection(ctx, connection::Input::Fired(timer, token), None);
            }
            Msg::RoleClock(timer, token) => {
                self.role_clocks[timer as usize] = None;
                self.run_tab(ctx, tab_role::Input::Fired(timer, token));
            }
            Msg::VisibilityChanged => {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible);
                let state = dispatch::<ConnectionStore>().get().state;
                if visible && self.user.is_some() && state != ConnectionState::Connected {
                    log("tab visible again with the stream down: reconnecting now");
                    self.run_tab(ctx, tab_role::Input::RetryWanted);
                }
            }
            Msg::Relayed(message) => self.run_tab(ctx, tab_role::Input::Relayed(message)),
            Msg::LockGranted => self.run_tab(ctx, tab_role::Input::LockGranted),
            Msg::LockLost => self.run_tab(ctx, tab_role::Input::LockLost),
            Msg::StoreChanged => self.run_tab(ctx, tab_role::Input::StoreChanged),
        }
        false
    }

    fn view(&self, _ctx: &Context<Self>) -> Html {
        crate::render_count::count_render();
        Html::default()
    }

    fn destroy(&mut self, ctx: &Context<Self>) {
        INBOX.with(|slot| *slot.borrow_mut() = None);
        self.run_connection(ctx, connection::Input::Halt, None);
        // Gives the lock back: a waiting tab takes the stream over at once.
        self.leadership = None;
        self.role_clocks = Default::default();
    }
}

//! The registry of this instance's open event streams, and delivery to them. All state sits
//! behind one short-held mutex; nothing under it awaits.
//!
//! Event ids and replay live in the database (each engine's `events` module), so every
//! instance hands out and honours the same ids; the hub only delivers frames that already
//! carry one, in id order per person, each at most once.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tandem_protocol::{Event, ForceLogout, UserId};
use tokio::sync::mpsc::{self, error::TrySendError};

use crate::auth::LoginId;

/// Limits of the event stream.
#[derive(Clone, Debug)]
pub struct HubSettings {
    /// Events kept per person for replay.
    pub replay_size: usize,
    /// Age after which an event is no longer replayed.
    pub replay_age: Duration,
    /// Events buffered per connection before it counts as stuck and is closed.
    pub buffer: usize,
    /// Open connections one person may hold here, over all their sign-ins; a new one
    /// closes the oldest (0: no limit).
    pub streams_per_person: usize,
}

impl Default for HubSettings {
    fn default() -> Self {
        HubSettings { replay_size: 1000, replay_age: Duration::from_secs(600), buffer: 256, streams_per_person: 10 }
    }
}

/// One event as sent on the stream: `id:` (absent for per-login system events), `event:`
/// and the JSON of the `data:` line, serialised once for every recipient.
#[derive(Debug, PartialEq)]
pub struct Frame {
    pub id: Option<u64>,
    pub name: Arc<str>,
    pub data: Arc<str>,
    /// When this instance made it (recorded the event, or read it from another instance's
    /// notice): the start of its delivery delay (`telemetry::delivery_delay`).
    pub born: std::time::Instant,
}

impl Frame {
    /// A frame of `event` with the id it has for its recipient.
    pub fn of(event: &Event, id: Option<u64>) -> Frame {
        Frame::new(id, event.name().into(), event.to_data_json().into())
    }

    /// A frame made now.
    pub fn new(id: Option<u64>, name: Arc<str>, data: Arc<str>) -> Frame {
        Frame { id, name, data, born: std::time::Instant::now() }
    }
}

/// What a reconnecting client gets before live events.
#[derive(Debug, PartialEq)]
pub enum Catchup {
    /// A first connection, or nothing missed.
    Nothing,
    /// The events after the client's `Last-Event-ID`, in order.
    Replay(Vec<Arc<Frame>>),
    /// The gap cannot be replayed: the client must revalidate everything. Carries the id of
    /// the newest event, so the client's `Last-Event-ID` moves past the gap.
    Resync { current_id: u64 },
}

/// A registered connection.
#[derive(Debug)]
pub struct Subscription {
    pub user: UserId,
    pub connection: u64,
    pub live: mpsc::Receiver<Arc<Frame>>,
}

struct Connection {
    id: u64,
    login: LoginId,
    tx: mpsc::Sender<Arc<Frame>>,
    /// The newest id its catch-up read from the database (None: not read yet).
    caught_up_through: Option<u64>,
}

#[derive(Default)]
struct UserChannel {
    /// The newest id delivered here: later deliveries of it or older ones (a replay after the
    /// database connection came back) are dropped.
    delivered_through: u64,
    connections: Vec<Connection>,
}

impl UserChannel {
    /// Sends to every connection, dropping those that are gone or stuck.
    fn send(&mut self, frame: &Arc<Frame>, user: UserId) {
        crate::telemetry::events_delivered(self.connections.len());
        self.connections.retain(|connection| match connection.tx.try_send(frame.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                tracing::warn!(%user, connection = connection.id, "event stream fell behind: closing it");
                crate::telemetry::stream_shed("fell_behind", 1);
                false
            }
            Err(TrySendError::Closed(_)) => false,
        });
    }
}

/// The registry of every person's connections on this instance.
pub struct Hub {
    settings: HubSettings,
    users: Mutex<HashMap<UserId, UserChannel>>,
    next_connection: AtomicU64,
    /// Set when the instance begins to stop: streams ending now tell their browser to
    /// reconnect at once (to another instance).
    draining: std::sync::atomic::AtomicBool,
}

impl Hub {
    /// An empty hub.
    pub fn new(settings: HubSettings) -> Self {
        Hub {
            settings,
            users: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(1),
            draining: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The instance is stopping: from now on streams end with "reconnect at once", and
    /// readiness says no.
    pub fn begin_drain(&self) {
        self.draining.store(true, Ordering::SeqCst);
    }

    /// Whether the instance is stopping.
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::SeqCst)
    }

    /// Its settings.
    pub fn settings(&self) -> &HubSettings {
        &self.settings
    }

    fn users(&self) -> MutexGuard<'_, HashMap<UserId, UserChannel>> {
        // A panic while holding the lock leaves the maps consistent (no await, no partial
        // update across calls), so a poisoned lock is safe to keep using.
        self.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a connection of `user` signed in as `login`. Register first, then read what
    /// the client missed: an event committed in between arrives both ways, and the stream
    /// drops the second copy by its id. A person who already holds `streams_per_person`
    /// connections loses the oldest: one browser holds one stream, so the newest is the one
    /// in use, and however many times one account signs in, it holds at most the cap.
    pub fn subscribe(&self, user: UserId, login: LoginId) -> Subscription {
        let mut users = self.users();
        let channel = users.entry(user).or_default();
        // Streams whose client left but whose sender has not been dropped yet do not count.
        channel.connections.retain(|c| !c.tx.is_closed());
        let cap = self.settings.streams_per_person;
        if cap > 0 && channel.connections.len() >= cap {
            let closed = channel.connections.len() + 1 - cap;
            // Dropping a sender ends its stream once what was sent is read.
            channel.connections.drain(..closed);
            tracing::info!(%user, closed, "a new event stream closed the person's oldest");
            crate::telemetry::stream_shed("streams_per_person", closed);
        }
        let (tx, live) = mpsc::channel(self.settings.buffer.max(1));
        let connection = self.next_connection.fetch_add(1, Ordering::Relaxed);
        // A stream that arrives while the instance stops (it was accepted just before) gets
        // its catch-up and then ends at once, like the others: registered, it would stay
        // open past `close_all` and hold the stop up until the drain's time limit.
        if !self.is_draining() {
            channel.connections.push(Connection { id: connection, login, tx, caught_up_through: None });
        }
        Subscription { user, connection, live }
    }

    /// Forgets a connection (its client went away).
    pub fn unsubscribe(&self, user: UserId, connection: u64) {
        if let Some(channel) = self.users().get_mut(&user) {
            channel.connections.retain(|c| c.id != connection);
        }
    }

    /// Sends a committed event to every connection of `user` here, unless an event with this
    /// id or a newer one was already delivered to them. Ids must come in increasing order
    /// per person, which both engines guarantee (see `events::record`).
    pub fn deliver(&self, user: UserId, frame: &Arc<Frame>) {
        let mut users = self.users();
        let Some(channel) = users.get_mut(&user) else { return };
        if let Some(id) = frame.id {
            if id <= channel.delivered_through {
                return;
            }
            channel.delivered_through = id;
        }
        channel.send(frame, user);
    }

    /// Records that a connection's catch-up read the events up to `through`: with the
    /// deliveries since, it has seen every event up to there.
    pub fn caught_up(&self, user: UserId, connection: u64, through: u64) {
        if let Some(channel) = self.users().get_mut(&user) {
            if let Some(open) = channel.connections.iter_mut().find(|c| c.id == connection) {
                open.caught_up_through = Some(through);
            }
        }
    }

    /// The people with open connections here, each with the id after which one of their
    /// connections may have missed events: what to replay after deliveries may have been lost
    /// (the database connection dropped). Every connection has seen everything up to its own
    /// catch-up and, after that, everything delivered; so nothing up to the smallest of
    /// `max(caught-up id, delivered id)` was missed.
    pub fn replay_positions(&self) -> Vec<(UserId, u64)> {
        self.users()
            .iter()
            .filter_map(|(user, channel)| {
                // A stream still reading its catch-up has seen at least what was delivered.
                let seen = channel
                    .connections
                    .iter()
                    .map(|c| c.caught_up_through.unwrap_or(0).max(channel.delivered_through))
                    .min()?;
                Some((*user, seen))
            })
            .collect()
    }

    /// Every login with an open stream here, with its person.
    pub fn open_logins(&self) -> Vec<(UserId, LoginId)> {
        let mut logins: Vec<(UserId, LoginId)> = self
            .users()
            .iter()
            .flat_map(|(user, channel)| channel.connections.iter().map(|c| (*user, c.login)))
            .collect();
        logins.sort_by_key(|(user, login)| (*user, login.0));
        logins.dedup();
        logins
    }

    /// Sends `force_logout` to the connections of `user` signed in with one of `logins`, then
    /// closes them. Not kept for replay: it concerns those logins only, which are over.
    pub fn force_logout(&self, user: UserId, logins: &[LoginId], reason: &str) {
        let event = Event::ForceLogout(ForceLogout { reason: reason.to_owned() });
        let frame = Arc::new(Frame::of(&event, None));
        if let Some(channel) = self.users().get_mut(&user) {
            channel.connections.retain(|connection| {
                if logins.contains(&connection.login) {
                    // Best effort: a full buffer means the client is stuck anyway, and its
                    // next request answers 401.
                    let _ = connection.tx.try_send(frame.clone());
                    false
                } else {
                    true
                }
            });
        }
    }

    /// Drops closed connections and people with none left; run now and then.
    pub fn sweep(&self) {
        let mut users = self.users();
        users.retain(|_, channel| {
            channel.connections.retain(|c| !c.tx.is_closed());
            channel.connections.shrink_to_fit();
            !channel.connections.is_empty()
        });
        // After a flood of streams the map keeps its high-water capacity otherwise.
        users.shrink_to_fit();
    }

    /// Closes every connection (server shutdown), so streams end and the server can stop.
    pub fn close_all(&self) {
        for channel in self.users().values_mut() {
            channel.connections.clear();
        }
    }

    /// Open connections, over all users.
    pub fn connection_count(&self) -> usize {
        self.users().values().map(|c| c.connections.len()).sum()
    }

    /// Open connections of one user.
    pub fn connections_of(&self, user: UserId) -> usize {
        self.users().get(&user).map_or(0, |c| c.connections.len())
    }
}

#[cfg(test)]
mod tests;

//! The connection registry and replay ring. All state sits behind one short-held mutex;
//! nothing under it awaits.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tandem_protocol::{Event, ForceLogout, UserId};
use tokio::sync::mpsc::{self, error::TrySendError};

use crate::db::logins::LoginId;

/// Limits of the hub.
#[derive(Clone, Debug)]
pub struct HubSettings {
    /// Events kept per user for replay.
    pub replay_size: usize,
    /// Age after which an event is no longer replayed.
    pub replay_age: Duration,
    /// Events buffered per connection before it counts as stuck and is closed.
    pub buffer: usize,
    /// Open connections one login may hold; more are refused (0: no limit).
    pub streams_per_login: usize,
}

impl Default for HubSettings {
    fn default() -> Self {
        HubSettings { replay_size: 1000, replay_age: Duration::from_secs(600), buffer: 256, streams_per_login: 10 }
    }
}

/// A login already holds as many streams as it may.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("this sign-in already has {open} live connections open, the most it may hold")]
pub struct TooManyStreams {
    pub open: usize,
}

/// One event as sent on the stream: `id:` (absent for per-login system events), `event:`
/// and the JSON of the `data:` line, serialised once for every recipient.
#[derive(Debug, PartialEq)]
pub struct Frame {
    pub id: Option<u64>,
    pub name: &'static str,
    pub data: Arc<str>,
}

/// What a reconnecting client gets before live events.
#[derive(Debug)]
pub enum Catchup {
    /// A first connection: nothing to catch up on.
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
    pub catchup: Catchup,
    pub live: mpsc::Receiver<Arc<Frame>>,
}

struct Stored {
    frame: Arc<Frame>,
    at: Instant,
}

struct Connection {
    id: u64,
    login: LoginId,
    tx: mpsc::Sender<Arc<Frame>>,
}

struct UserChannel {
    next_id: u64,
    /// Ids up to and including this one can no longer be replayed.
    evicted_through: u64,
    ring: VecDeque<Stored>,
    connections: Vec<Connection>,
}

impl UserChannel {
    /// Ids start from the wall clock (milliseconds × 1000), so ids handed out by an earlier
    /// run of the server, or an earlier channel of this user, are always older than the
    /// ring and lead to a resync rather than a wrong replay.
    fn new() -> Self {
        let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        let base = millis.saturating_mul(1000).max(1);
        UserChannel { next_id: base, evicted_through: base - 1, ring: VecDeque::new(), connections: Vec::new() }
    }

    fn trim(&mut self, settings: &HubSettings, now: Instant) {
        while let Some(front) = self.ring.front() {
            let too_many = self.ring.len() > settings.replay_size;
            let too_old = now.duration_since(front.at) > settings.replay_age;
            if !(too_many || too_old) {
                break;
            }
            self.evicted_through = front.frame.id.unwrap_or(self.evicted_through);
            self.ring.pop_front();
        }
    }

    fn catchup(&self, last_event_id: Option<u64>) -> Catchup {
        let Some(last) = last_event_id else { return Catchup::Nothing };
        if last < self.evicted_through || last >= self.next_id {
            return Catchup::Resync { current_id: self.next_id - 1 };
        }
        let missed = self.ring.iter().filter(|s| s.frame.id.is_some_and(|id| id > last)).map(|s| s.frame.clone());
        Catchup::Replay(missed.collect())
    }

    /// Sends to every connection, dropping those that are gone or stuck.
    fn deliver(&mut self, frame: &Arc<Frame>, user: UserId) {
        self.connections.retain(|connection| match connection.tx.try_send(frame.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                tracing::warn!(%user, connection = connection.id, "event stream fell behind: closing it");
                false
            }
            Err(TrySendError::Closed(_)) => false,
        });
    }
}

/// The registry of every user's connections and recent events.
pub struct Hub {
    settings: HubSettings,
    users: Mutex<HashMap<UserId, UserChannel>>,
    next_connection: AtomicU64,
}

impl Hub {
    /// An empty hub.
    pub fn new(settings: HubSettings) -> Self {
        Hub { settings, users: Mutex::new(HashMap::new()), next_connection: AtomicU64::new(1) }
    }

    fn users(&self) -> MutexGuard<'_, HashMap<UserId, UserChannel>> {
        // A panic while holding the lock leaves the maps consistent (no await, no partial
        // update across calls), so a poisoned lock is safe to keep using.
        self.users.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a connection of `user` signed in as `login`. The catch-up and the
    /// registration happen under one lock, so no event falls between them. A login that
    /// already holds `streams_per_login` connections is refused; its open ones are kept.
    pub fn subscribe(
        &self,
        user: UserId,
        login: LoginId,
        last_event_id: Option<u64>,
    ) -> Result<Subscription, TooManyStreams> {
        let mut users = self.users();
        let channel = users.entry(user).or_insert_with(UserChannel::new);
        // Streams whose client left but whose sender has not been dropped yet do not count.
        channel.connections.retain(|c| !c.tx.is_closed());
        let cap = self.settings.streams_per_login;
        let open = channel.connections.iter().filter(|c| c.login == login).count();
        if cap > 0 && open >= cap {
            return Err(TooManyStreams { open });
        }
        let (tx, live) = mpsc::channel(self.settings.buffer.max(1));
        let connection = self.next_connection.fetch_add(1, Ordering::Relaxed);
        channel.trim(&self.settings, Instant::now());
        let catchup = channel.catchup(last_event_id);
        channel.connections.push(Connection { id: connection, login, tx });
        Ok(Subscription { user, connection, catchup, live })
    }

    /// Forgets a connection (its client went away).
    pub fn unsubscribe(&self, user: UserId, connection: u64) {
        if let Some(channel) = self.users().get_mut(&user) {
            channel.connections.retain(|c| c.id != connection);
        }
    }

    /// Sends `event` to every connection of each recipient, with a new id per recipient,
    /// and keeps it for replay.
    pub fn publish(&self, recipients: &[UserId], event: &Event) {
        let data: Arc<str> = event.to_data_json().into();
        let now = Instant::now();
        let mut users = self.users();
        let mut seen = Vec::with_capacity(recipients.len());
        for &user in recipients {
            if seen.contains(&user) {
                continue;
            }
            seen.push(user);
            let channel = users.entry(user).or_insert_with(UserChannel::new);
            let id = channel.next_id;
            channel.next_id += 1;
            let frame = Arc::new(Frame { id: Some(id), name: event.name(), data: data.clone() });
            channel.ring.push_back(Stored { frame: frame.clone(), at: now });
            channel.trim(&self.settings, now);
            channel.deliver(&frame, user);
        }
    }

    /// Sends `force_logout` to the connections of `user` whose login matches, then closes
    /// them. Not kept for replay: it concerns those logins only, which are over.
    pub fn force_logout(&self, user: UserId, logins: impl Fn(&LoginId) -> bool, reason: &str) {
        let event = Event::ForceLogout(ForceLogout { reason: reason.to_owned() });
        let frame = Arc::new(Frame { id: None, name: event.name(), data: event.to_data_json().into() });
        if let Some(channel) = self.users().get_mut(&user) {
            channel.connections.retain(|connection| {
                if logins(&connection.login) {
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

    /// Drops events past their age and users with nothing left; run now and then.
    pub fn sweep(&self) {
        let now = Instant::now();
        self.users().retain(|_, channel| {
            channel.trim(&self.settings, now);
            channel.connections.retain(|c| !c.tx.is_closed());
            !channel.connections.is_empty() || !channel.ring.is_empty()
        });
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

//! The leader's event stream as a pure state machine: when to open it, how to back off after
//! a failure, when a silent connection counts as dead, and which event id to resume from.
//! It takes an [`Input`] (a stream callback, a timer firing, a sign-in, a change of tab role)
//! and returns the [`Command`]s to run; it touches no browser API, so every transition is
//! tested natively. The agent component ([`super::agent`]) owns the `EventSource` and the
//! timers and only runs what this machine says.
//!
//! - It connects while someone is signed in and this tab leads, and closes otherwise.
//! - After a failure of an open stream the browser reconnects by itself once, after the
//!   server's `retry:` and with `Last-Event-ID`; if that fails too, or the browser gave up, the
//!   machine closes it and reconnects with backoff and full jitter from the last event id.
//!   After `max_attempts` it stops in Error until the person retries.
//! - Every failure asks the server whether the session is alive (a 401 ends it).
//! - A reconnect without a last event id (the reference backend sends none) revalidates
//!   everything on screen; with one, the server replays or sends `resync`.
//! - Watchdog: once the server has shown it sends heartbeats, `watchdog_ms` without a byte
//!   (or without an answer to a reconnect) means a dead connection.
//!
//! A timer that fires after it was cancelled (its message already queued) changes nothing.

use super::backoff;
use super::clocks::Clocks;
use crate::stores::connection::ConnectionState;

/// The machine's clocks; each is armed at most once at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The backoff before the next attempt.
    Reconnect,
    /// An open connection that lasts this long is healthy: the attempts start over.
    Stable,
    /// No byte for this long means a dead connection.
    Watchdog,
}

impl Timer {
    const ALL: [Timer; 3] = [Timer::Reconnect, Timer::Stable, Timer::Watchdog];

    fn index(self) -> usize {
        self as usize
    }
}

/// What happens to the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Someone signed in (or another person did), or everyone signed out.
    Auth { signed_in: bool },
    /// This tab now holds the browser's stream; `reconnect` when another tab held it before,
    /// so the server replays from the last relayed id.
    Lead { reconnect: bool },
    /// Another tab holds the stream now.
    Follow,
    /// The id of the last event another tab received (a follower keeps it to resume from).
    Resume(String),
    /// Reconnect at once: the Retry button, or a tab back in view with the stream down.
    RetryNow,
    /// Stop without a word (a forced sign-out follows, or the app goes away).
    Halt,
    /// The `EventSource` opened.
    Opened,
    /// The `EventSource` failed; `browser_will_retry` when it is reconnecting by itself.
    Failed { browser_will_retry: bool },
    /// A frame of the stream arrived (`id` empty when it had none).
    Frame { heartbeat: bool, id: String },
    /// A clock went off; `token` is the one its [`Command::Arm`] carried.
    Fired(Timer, u32),
}

/// A change of the connection store; the component adds the clock's time where one is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Opening the stream: the state, the attempt, no retry scheduled.
    Opening { state: ConnectionState, attempt: u32 },
    /// Open: `connected_at` is now, no retry scheduled.
    Connected,
    /// Healthy for long enough: the attempts start over.
    Stable,
    /// Lost, trying again: the last error is now (of this attempt), not connected.
    Lost { attempt: u32, reason: String, next_retry_ms: Option<u32> },
    /// Lost for good after `attempts`: Error until the person retries.
    GaveUp { attempts: u32, reason: String },
    /// A heartbeat arrived: `last_event_at` is now.
    Heartbeat,
    /// An event arrived: `last_event_at` is now, one more event, and its id.
    Event { last_event_id: Option<String> },
    /// Signed out: everything forgotten but whether this tab leads.
    Reset { leader: bool },
}

/// What the component does for the machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open an `EventSource`, resuming after `last_event_id` when there is one.
    Open {
        last_event_id: Option<String>,
    },
    /// Close the `EventSource`.
    Close,
    /// Start a clock (replacing the one running): fire `Input::Fired(timer, token)` in `ms`.
    Arm {
        timer: Timer,
        ms: u32,
        token: u32,
    },
    Cancel(Timer),
    /// Ask the server whether the session still lives.
    CheckSession,
    /// Nothing can be replayed: refetch everything on screen.
    RevalidateEverything,
    /// Pass the frame just received on to the other tabs.
    Relay,
    /// Apply the frame just received to this tab's cache.
    Apply,
    Publish(Change),
    Log(String),
}

/// Numbers the machine works with (tests shorten them).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub watchdog_ms: u32,
    pub max_attempts: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { watchdog_ms: backoff::WATCHDOG_MS, max_attempts: backoff::MAX_ATTEMPTS }
    }
}

/// The machine; see the module documentation.
pub struct Connection {
    settings: Settings,
    /// A number in [0, 1) for the jitter (`Math.random` in the browser).
    random: fn() -> f64,
    signed_in: bool,
    leading: bool,
    /// An `EventSource` is open (or opening).
    open: bool,
    attempt: u32,
    /// The browser is reconnecting by itself (after the server's `retry:`).
    browser_retrying: bool,
    /// The stream was open before, so the next open is a reconnect.
    was_connected: bool,
    heartbeats_seen: bool,
    last_event_id: Option<String>,
    clocks: Clocks<3>,
}

impl Connection {
    pub fn new(settings: Settings, random: fn() -> f64) -> Connection {
        Connection {
            settings,
            random,
            signed_in: false,
            leading: false,
            open: false,
            attempt: 0,
            browser_retrying: false,
            was_connected: false,
            heartbeats_seen: false,
            last_event_id: None,
            clocks: Clocks::default(),
        }
    }

    /// The id of the last event this tab knows of (received or relayed).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// An `EventSource` is open or opening.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Takes one input; the commands to run, in order.
    pub fn step(&mut self, input: Input) -> Vec<Command> {
        let mut out = Vec::new();
        match input {
            Input::Auth { signed_in } => {
                self.close(&mut out);
                self.signed_in = signed_in;
                self.attempt = 0;
                self.was_connected = false;
                self.last_event_id = None;
                if signed_in {
                    self.open_if_due(&mut out);
                } else {
                    if self.leading {
                        out.push(Command::Log("signed out: stream closed".into()));
                    }
                    out.push(Command::Publish(Change::Reset { leader: self.leading }));
                }
            }
            Input::Lead { reconnect } => {
                if self.leading {
                    return out;
                }
                self.leading = true;
                self.was_connected = reconnect;
                self.attempt = 0;
                self.open_if_due(&mut out);
            }
            Input::Follow => {
                self.close(&mut out);
                self.leading = false;
            }
            Input::Resume(id) => {
                if !id.is_empty() {
                    self.last_event_id = Some(id);
                }
            }
            Input::RetryNow => {
                if self.signed_in && self.leading {
                    self.close(&mut out);
                    self.attempt = 0;
                    out.push(Command::Log("connecting on request".into()));
                    self.open_stream(&mut out);
                }
            }
            Input::Halt => self.close(&mut out),
            Input::Opened if self.open => self.on_opened(&mut out),
            Input::Failed { browser_will_retry } if self.open => {
                self.on_failure(&mut out, browser_will_retry, "the event stream failed")
            }
            Input::Frame { heartbeat, id } if self.open => self.on_frame(&mut out, heartbeat, id),
            // A stream callback after the stream was closed.
            Input::Opened | Input::Failed { .. } | Input::Frame { .. } => {}
            Input::Fired(timer, token) => {
                if !self.clocks.fire(timer.index(), token) {
                    // Cancelled or armed again after its firing was queued.
                    return out;
                }
                match timer {
                    Timer::Reconnect => self.open_stream(&mut out),
                    Timer::Stable => {
                        self.attempt = 0;
                        out.push(Command::Publish(Change::Stable));
                    }
                    Timer::Watchdog => {
                        let reason = format!("no byte for {} s", self.settings.watchdog_ms / 1000);
                        out.push(Command::Log(format!("{reason}: the connection is dead")));
                        self.close_source(&mut out);
                        self.on_failure(&mut out, false, &reason);
                    }
                }
            }
        }
        out
    }

    fn arm(&mut self, out: &mut Vec<Command>, timer: Timer, ms: u32) {
        let token = self.clocks.arm(timer.index());
        out.push(Command::Arm { timer, ms, token });
    }

    fn cancel(&mut self, out: &mut Vec<Command>, timer: Timer) {
        if self.clocks.cancel(timer.index()) {
            out.push(Command::Cancel(timer));
        }
    }

    fn arm_watchdog(&mut self, out: &mut Vec<Command>) {
        if self.heartbeats_seen {
            self.arm(out, Timer::Watchdog, self.settings.watchdog_ms);
        }
    }

    fn close_source(&mut self, out: &mut Vec<Command>) {
        if std::mem::take(&mut self.open) {
            out.push(Command::Close);
        }
    }

    /// Closes the stream and stops every clock.
    fn close(&mut self, out: &mut Vec<Command>) {
        self.close_source(out);
        for timer in Timer::ALL {
            self.cancel(out, timer);
        }
        self.browser_retrying = false;
    }

    fn open_if_due(&mut self, out: &mut Vec<Command>) {
        if self.signed_in && self.leading {
            self.open_stream(out);
        }
    }

    fn open_stream(&mut self, out: &mut Vec<Command>) {
        self.close_source(out);
        self.cancel(out, Timer::Reconnect);
        self.open = true;
        out.push(Command::Open { last_event_id: self.last_event_id.clone() });
        // A connection that never answers is as dead as one that went silent.
        self.arm_watchdog(out);
        let state = if self.was_connected || self.attempt > 0 {
            ConnectionState::Reconnecting
        } else {
            ConnectionState::Connecting
        };
        out.push(Command::Publish(Change::Opening { state, attempt: self.attempt }));
    }

    fn on_opened(&mut self, out: &mut Vec<Command>) {
        let reconnect = self.was_connected || self.attempt > 0;
        self.was_connected = true;
        self.browser_retrying = false;
        out.push(Command::Log(if reconnect { "connection re-established" } else { "connection established" }.into()));
        if reconnect && self.last_event_id.is_none() {
            out.push(Command::Log("no event ids to replay from: revalidating everything on screen".into()));
            out.push(Command::RevalidateEverything);
        }
        self.arm(out, Timer::Stable, backoff::STABLE_MS);
        self.arm_watchdog(out);
        out.push(Command::Publish(Change::Connected));
    }

    /// The stream failed: let the browser retry once, then back off on our own.
    fn on_failure(&mut self, out: &mut Vec<Command>, browser_will_retry: bool, reason: &str) {
        self.cancel(out, Timer::Stable);
        self.cancel(out, Timer::Watchdog);
        out.push(Command::CheckSession);
        self.attempt += 1;
        let attempt = self.attempt;
        if browser_will_retry && !self.browser_retrying && self.was_connected && attempt == 1 {
            self.browser_retrying = true;
            out.push(Command::Log(format!(
                "connection lost ({reason}); the browser reconnects after the server's retry delay"
            )));
            out.push(Command::Publish(Change::Lost { attempt, reason: reason.to_owned(), next_retry_ms: None }));
            return;
        }
        self.close_source(out);
        self.browser_retrying = false;
        if attempt > self.settings.max_attempts {
            out.push(Command::Log(format!("giving up after {} attempts; live updates paused", attempt - 1)));
            out.push(Command::Publish(Change::GaveUp { attempts: attempt - 1, reason: reason.to_owned() }));
            return;
        }
        let delay = backoff::delay_ms(attempt, (self.random)());
        out.push(Command::Log(format!("reconnecting in {delay} ms (attempt {attempt}): {reason}")));
        self.arm(out, Timer::Reconnect, delay);
        out.push(Command::Publish(Change::Lost { attempt, reason: reason.to_owned(), next_retry_ms: Some(delay) }));
    }

    fn on_frame(&mut self, out: &mut Vec<Command>, heartbeat: bool, id: String) {
        if !id.is_empty() {
            self.last_event_id = Some(id);
        }
        out.push(Command::Relay);
        self.heartbeats_seen |= heartbeat;
        self.arm_watchdog(out);
        if heartbeat {
            out.push(Command::Publish(Change::Heartbeat));
        } else {
            out.push(Command::Publish(Change::Event { last_event_id: self.last_event_id.clone() }));
            out.push(Command::Apply);
        }
    }
}

#[cfg(test)]
mod tests;

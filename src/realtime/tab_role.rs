//! Which tab of a browser holds the one event stream, as a pure state machine. The tab
//! holding a Web Lock ([`super::leadership`]) leads: it owns the stream ([`super::connection`])
//! and relays every frame, its connection state and the last event id over a
//! `BroadcastChannel` ([`super::relay`]). The others wait for the lock and apply the relayed
//! frames. When the leader closes, reloads or crashes, the browser hands the lock to a
//! waiting tab, which opens the stream from the last relayed event id. A waiting tab that
//! hears nothing from the leader for the silence (a tab frozen in the background) takes the
//! lock away. Where the browser lacks either API, every tab keeps its own stream (`Alone`).
//!
//! Like [`super::connection::Connection`], it takes an [`Input`] and returns the
//! [`Command`]s to run; the agent component runs them. A clock firing in the wrong role, a
//! second grant of the lock, or a frame relayed by an older leader during a take-over
//! changes nothing.

use super::backoff;
use super::clocks::Clocks;
use super::relay::RelayMessage;
use crate::stores::connection::ConnectionStore;

/// What this tab does with the browser's stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Not started yet.
    Idle,
    /// Asked for the lock and gets the leader's frames relayed meanwhile.
    Waiting,
    /// Holds the lock, the stream, and relays it.
    Leading,
    /// Holds its own stream: the browser cannot share one among tabs.
    Alone,
}

/// The clocks of the tab roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timer {
    /// The leader's "I live", every third of the silence.
    Beacon,
    /// A waiting tab's deadline for hearing from the leader.
    Silence,
}

/// What happens to this tab.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// The agent started; `shareable` when the browser has Web Locks and a
    /// `BroadcastChannel`.
    Start { shareable: bool },
    /// This tab holds the lock now.
    LockGranted,
    /// The lock was taken away, or could not be asked for.
    LockLost,
    /// Another tab said something.
    Relayed(RelayMessage),
    /// A clock went off; `token` is the one its [`Command::Arm`] carried.
    Fired(Timer, u32),
    /// The person wants the stream back now (Retry, or the tab is back in view with it down).
    RetryWanted,
    /// The connection store changed.
    StoreChanged,
}

/// What the other tabs are told; the component fills in the current values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Say {
    Hello,
    RetryNow,
    /// The leader lives, with the id of the last event it received.
    Alive,
    /// The leader's connection store.
    State,
}

/// What the component does for the machine.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Ask for the lock (dropping this tab's earlier request); `steal` takes it at once.
    RequestLock {
        steal: bool,
    },
    /// Give up on sharing: drop the lock request and the channel.
    StopSharing,
    Post(Say),
    /// Start a clock (replacing the one running): fire `Input::Fired(timer, token)` in `ms`.
    Arm {
        timer: Timer,
        ms: u32,
        token: u32,
    },
    Cancel(Timer),
    /// Hold the stream: `Connection` input `Lead`, and the store's `leader` flag on.
    Lead {
        reconnect: bool,
    },
    /// Let go of the stream: `Connection` input `Follow`, and the `leader` flag off.
    Follow,
    /// The last event id the leader knows of (`Connection` input `Resume`).
    Resume(String),
    /// Apply a frame the leader relayed.
    Apply {
        name: String,
        data: String,
    },
    /// Take the leader's connection store as this tab's.
    SetStore(ConnectionStore),
    /// Reconnect the stream this tab holds now.
    RetryStream,
    Log(String),
}

/// The machine; see the module documentation.
pub struct TabRole {
    role: Role,
    silence_ms: u32,
    /// A number in [0, 1) for the jitter of the silence (`Math.random` in the browser).
    random: fn() -> f64,
    /// A leader was heard since this tab started: taking over is then a reconnect.
    heard_leader: bool,
    clocks: Clocks<2>,
}

impl TabRole {
    pub fn new(silence_ms: u32, random: fn() -> f64) -> TabRole {
        TabRole { role: Role::Idle, silence_ms, random, heard_leader: false, clocks: Clocks::default() }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// Takes one input; the commands to run, in order.
    pub fn step(&mut self, input: Input) -> Vec<Command> {
        let mut out = Vec::new();
        if let Input::Fired(timer, token) = input {
            // Cancelled or armed again after its firing was queued: nothing.
            if self.clocks.fire(timer as usize, token) {
                self.on_clock(&mut out, timer);
            }
            return out;
        }
        match (self.role, input) {
            (Role::Idle, Input::Start { shareable: true }) => {
                self.role = Role::Waiting;
                out.push(Command::RequestLock { steal: false });
                out.push(Command::Post(Say::Hello));
                self.arm_silence(&mut out);
            }
            (Role::Idle, Input::Start { shareable: false }) => {
                out.push(Command::Log(
                    "this browser cannot share one stream among tabs: this tab keeps its own".into(),
                ));
                self.lead_alone(&mut out);
            }
            (Role::Waiting, Input::LockGranted) => {
                self.role = Role::Leading;
                self.cancel(&mut out, Timer::Silence);
                out.push(Command::Log("this tab now holds the browser's event stream".into()));
                self.arm_beacon(&mut out);
                out.push(Command::Post(Say::Alive));
                out.push(Command::Lead { reconnect: self.heard_leader });
            }
            (Role::Leading, Input::LockLost) => {
                self.role = Role::Waiting;
                out.push(Command::Log("another tab took the event stream over".into()));
                self.cancel(&mut out, Timer::Beacon);
                out.push(Command::Follow);
                self.arm_silence(&mut out);
                out.push(Command::RequestLock { steal: false });
            }
            (Role::Waiting, Input::LockLost) => {
                out.push(Command::Log(
                    "cannot take part in choosing the tab that holds the stream: this tab keeps its own".into(),
                ));
                self.cancel(&mut out, Timer::Silence);
                out.push(Command::StopSharing);
                self.lead_alone(&mut out);
            }
            (Role::Waiting, Input::Relayed(message)) => self.on_relayed_while_waiting(&mut out, message),
            (Role::Leading, Input::Relayed(RelayMessage::Hello)) => {
                out.push(Command::Post(Say::State));
                out.push(Command::Post(Say::Alive));
            }
            (Role::Leading, Input::Relayed(RelayMessage::RetryNow)) => out.push(Command::RetryStream),
            (Role::Waiting, Input::RetryWanted) => out.push(Command::Post(Say::RetryNow)),
            (Role::Leading | Role::Alone, Input::RetryWanted) => out.push(Command::RetryStream),
            (Role::Leading, Input::StoreChanged) => out.push(Command::Post(Say::State)),
            // A second grant, a loss or a clock in the wrong role, a message meant for the
            // other role (two leaders for a moment during a take-over): nothing to do.
            _ => {}
        }
        out
    }

    fn on_clock(&mut self, out: &mut Vec<Command>, timer: Timer) {
        match (self.role, timer) {
            (Role::Waiting, Timer::Silence) => {
                out.push(Command::Log(format!(
                    "no word from the tab holding the stream for {} s: taking it over",
                    self.silence_ms / 1000
                )));
                out.push(Command::RequestLock { steal: true });
            }
            (Role::Leading, Timer::Beacon) => {
                out.push(Command::Post(Say::Alive));
                self.arm_beacon(out);
            }
            // A clock of a role this tab left (each is cancelled on leaving; kept safe).
            _ => {}
        }
    }

    /// Three beacons in every silence a waiting tab waits through.
    fn arm_beacon(&mut self, out: &mut Vec<Command>) {
        self.arm(out, Timer::Beacon, self.silence_ms / backoff::BEACONS_PER_SILENCE);
    }

    fn lead_alone(&mut self, out: &mut Vec<Command>) {
        self.role = Role::Alone;
        out.push(Command::Lead { reconnect: self.heard_leader });
    }

    fn arm(&mut self, out: &mut Vec<Command>, timer: Timer, ms: u32) {
        let token = self.clocks.arm(timer as usize);
        out.push(Command::Arm { timer, ms, token });
    }

    fn cancel(&mut self, out: &mut Vec<Command>, timer: Timer) {
        if self.clocks.cancel(timer as usize) {
            out.push(Command::Cancel(timer));
        }
    }

    /// The deadline for hearing from the leader, with up to 2 s of jitter so that waiting
    /// tabs do not all take over at once.
    fn arm_silence(&mut self, out: &mut Vec<Command>) {
        let jitter = ((self.random)().clamp(0.0, 1.0) * 2_000.0) as u32;
        self.arm(out, Timer::Silence, self.silence_ms + jitter);
    }

    fn on_relayed_while_waiting(&mut self, out: &mut Vec<Command>, message: RelayMessage) {
        let (resume, then) = match message {
            RelayMessage::Frame { name, data, id } => (Some(id), Some(Command::Apply { name, data })),
            RelayMessage::State { store } => (store.last_event_id.clone(), Some(Command::SetStore(store))),
            RelayMessage::Alive { last_event_id } => (last_event_id, None),
            // Meant for the leader.
            RelayMessage::Hello | RelayMessage::RetryNow => return,
        };
        self.heard_leader = true;
        self.arm_silence(out);
        if let Some(id) = resume.filter(|id| !id.is_empty()) {
            out.push(Command::Resume(id));
        }
        out.extend(then);
    }
}

#[cfg(test)]
mod tests;

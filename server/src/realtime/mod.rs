//! Live events: a per-user registry of open event-stream connections, per-user event ids,
//! a bounded replay ring, and fan-out that never waits for a slow client.
//!
//! Every user has a [`UserChannel`]: the next event id, the recent events (for replay after a
//! reconnect with `Last-Event-ID`), and the senders of their open connections (one per tab).
//! Publishing serialises an event once and `try_send`s it to each connection's bounded
//! buffer; a connection whose buffer is full is dropped (its client reconnects and replays),
//! so one stuck client can neither grow memory nor delay anyone else.

mod hub;

pub use hub::{Catchup, Frame, Hub, HubSettings, Subscription};

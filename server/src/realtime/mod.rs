//! Live events on this instance: a per-person registry of open event-stream connections,
//! and delivery that never waits for a slow client.
//!
//! Every person with an open stream has a channel: the senders of their connections (one per
//! tab) and the newest event id delivered to them. Delivering `try_send`s an already
//! serialised frame to each connection's bounded buffer; a connection whose buffer is full is
//! dropped (its client reconnects and replays from the database), so one stuck client can
//! neither grow memory nor delay anyone else. Ids, the replay window and the way events
//! reach every instance belong to the engines (`events`, and PostgreSQL's listener).

mod hub;
pub mod notice;
pub mod order;

pub use hub::{Catchup, Frame, Hub, HubSettings, Subscription};

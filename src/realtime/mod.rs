//! Live updates: the SSE agent and the two state machines it runs ([`connection`]: the
//! stream, its backoff and watchdog; [`tab_role`]: which tab of the browser holds it, elected
//! with [`leadership`], the others fed through [`relay`]). What an event does to the cache is
//! the one table in [`crate::stores::effects`].

pub mod agent;
pub mod backoff;
mod clocks;
pub mod connection;
pub mod follower;
pub mod leadership;
pub mod relay;
pub mod tab_role;

pub use agent::{send, AgentInput, SseAgent};
pub use follower::Follower;

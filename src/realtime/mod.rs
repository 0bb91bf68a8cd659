//! Live updates: the SSE agent and its backoff. What an event does to the cache is the one
//! table in [`crate::stores::effects`].

pub mod agent;
pub mod backoff;

pub use agent::{send, AgentInput, SseAgent};

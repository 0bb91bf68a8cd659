//! Live updates: the SSE agent, its backoff, and how the tabs of a browser share one
//! stream (a leader elected with [`leadership`], the others fed through [`relay`]). What an
//! event does to the cache is the one table in [`crate::stores::effects`].

pub mod agent;
pub mod backoff;
pub mod leadership;
pub mod relay;

pub use agent::{send, AgentInput, SseAgent};

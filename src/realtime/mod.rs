//! Live updates: the SSE agent, its backoff, and the table from events to cache
//! invalidations.

pub mod agent;
pub mod backoff;
pub mod invalidations;

pub use agent::{send, AgentInput, SseAgent};

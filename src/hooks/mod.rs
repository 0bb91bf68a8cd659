//! Hooks: reading resources through the cache ([`use_resource`]), writing ([`use_mutation`])
//! and the signed-in person's workspace.

pub mod use_mutation;
pub mod use_query;
pub mod use_workspace;

pub use use_mutation::{use_mutation, Mutation};
pub use use_query::{use_query_when, use_resource, use_resource_when, Prefetch, Query};

//! Hooks: cache-backed fetching ([`use_query`]) and, on top, one hook per entity.

pub mod entities;
pub mod use_mutation;
pub mod use_query;
pub mod use_workspace;

pub use use_mutation::{use_mutation, Mutation};
pub use use_query::{use_api, use_api_when, use_query, use_query_when, Prefetch, Query};

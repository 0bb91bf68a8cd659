//! Hooks: reading resources through the cache ([`use_resource`]), writing ([`use_mutation`]),
//! editing what the other person may change too ([`use_versioned_edit`]) and the signed-in
//! person's workspace.

pub mod use_mutation;
pub mod use_resource;
pub mod use_versioned_edit;
pub mod use_workspace;

pub use use_mutation::{use_mutation, Mutation};
pub use use_resource::{use_query_when, use_resource, use_resource_when, Prefetch, Query};
pub use use_versioned_edit::{use_versioned_edit, VersionedEdit};

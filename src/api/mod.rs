//! The REST client: [`client`] does the HTTP in one place; [`resources`] declares every GET
//! (read through the cache by `hooks::use_resource`); one small module per entity for writes.

pub mod accounts;
pub mod actions;
pub mod agreements;
pub mod client;
pub mod error;
pub mod extensions;
pub mod goals;
pub mod keepalive;
pub mod note_document;
pub mod notes;
pub mod notifications;
pub mod organizations;
pub mod presence;
pub mod resources;
pub mod series;
pub mod session;
pub mod sessions;
pub mod topics;

pub use error::ApiError;

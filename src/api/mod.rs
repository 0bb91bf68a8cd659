//! The REST client: [`client`] does the HTTP in one place; one small module per resource
//! for writes, and [`keys`] for every GET (read through the cache by `hooks::use_api`).

pub mod actions;
pub mod agreements;
pub mod client;
pub mod error;
pub mod goals;
pub mod keys;
pub mod notes;
pub mod session;
pub mod sessions;

pub use error::ApiError;

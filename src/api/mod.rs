//! The REST client: [`client`] does the HTTP in one place; one small module per resource.

pub mod client;
pub mod error;
pub mod keys;
pub mod session;

pub use error::ApiError;

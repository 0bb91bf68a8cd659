//! The REST client: [`client`] does the HTTP in one place; one small module per resource.

pub mod client;
pub mod error;
pub mod organizations;
pub mod session;
pub mod users;

pub use error::ApiError;

//! Who is asking: password hashing, and the signed-in person of a request.

pub mod access;
mod current_user;
pub mod password;

pub use current_user::{CurrentUser, SessionAuth, AUTH_KEY};

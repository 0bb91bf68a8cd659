//! The signed-in person of a request, and who may touch what.

pub mod access;
mod current_user;
pub mod grants;
pub mod links;

pub use crate::auth::{password, LoginId, SessionAuth, AUTH_KEY};
pub use current_user::CurrentUser;
pub use grants::Grants;

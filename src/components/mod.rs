//! Widgets shared by pages.

pub mod header;
pub mod require_auth;
pub mod shell;

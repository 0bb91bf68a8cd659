//! One component per route.

pub mod actions;
pub mod coaching_session;
pub mod dashboard;
pub mod home;
pub mod login;
pub mod members;
pub mod not_found;
pub mod organizations;
pub mod passwords;
pub mod settings;

//! One component per route.

pub mod dashboard;
pub mod home;
pub mod login;
pub mod not_found;

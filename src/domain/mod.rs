//! The app's domain rules that several screens share: what makes an action open or overdue,
//! how a session and a relationship are named, which sessions surround a date. No
//! components here: screens import these, never one another.

pub mod accounts;
pub mod actions;
pub mod goals;
pub mod notifications;
pub mod relationships;
pub mod roles;
pub mod sessions;

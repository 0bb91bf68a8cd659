//! Widgets shared by pages.

pub mod app_link;
pub mod confirm_button;
pub mod connection_indicator;
pub mod form;
pub mod goal_progress;
pub mod header;
pub mod inbox;
pub mod notification_settings;
pub mod password_form;
pub mod require_auth;
pub mod session;
pub mod shell;
pub mod sidebar;
pub mod stale;
pub mod status;
pub mod undo_toast;

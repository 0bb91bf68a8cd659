//! Tandem's web app: a Yew single-page app for coaches and coachees.
//!
//! Layout follows `docs/architecture.md`: `api/` talks to the server, `stores/` holds the
//! yewdux stores, `domain/` the rules several screens share, `pages/` one component per
//! route, `components/` shared widgets. It is built as three apps, each a binary of this
//! crate with its own root: [`app`] (sign-in, dashboard, actions), [`session_app`] (the
//! coaching session page) and [`accounts_app`] (the account pages), sharing [`root`].

pub mod accounts_app;
pub mod api;
pub mod app;
pub mod browser_notifications;
pub mod components;
pub mod config;
pub mod domain;
pub mod hooks;
pub mod live_notes;
pub mod navigation;
pub mod notes_engine;
pub mod pages;
pub mod preload;
pub mod realtime;
pub mod render_count;
pub mod root;
pub mod routes;
pub mod session;
pub mod session_app;
pub mod stores;
pub mod theme;
pub mod time;

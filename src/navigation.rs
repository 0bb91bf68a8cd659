//! Moving between pages now that the web app is three apps ([`Part`]): a page of the running
//! app opens through the router; a page of another app is a full page load, so the server
//! hands out that app. [`Running`], provided at the root ([`crate::root::AppRoot`]), says
//! which app runs and at which address the browser loaded it.

use serde::Serialize;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::routes::{Part, Route};

/// Which app runs, and where it started.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Running {
    pub part: Part,
    /// The path the browser loaded this app at (the server served this app for it).
    pub started_at: AttrValue,
}

impl Running {
    /// `part`, started at the browser's address now.
    pub fn here(part: Part) -> Self {
        Running { part, started_at: current_path().into() }
    }
}

/// The running app: the main one where no root provides it (component tests).
#[hook]
pub fn use_running() -> Running {
    use_context::<Running>().unwrap_or_default()
}

/// The path in the browser's address bar.
pub fn current_path() -> String {
    gloo::utils::window().location().pathname().unwrap_or_default()
}

/// How a full page load treats the page it leaves.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Load {
    /// A new history entry.
    Assign,
    /// In place of this one.
    Replace,
    /// This address again (the router has already put the new one in the address bar).
    Reload,
}

/// Loads `url` in full (`Load::Reload` ignores it): the server sends the page of its app.
pub fn load(url: &str, how: Load) {
    let location = gloo::utils::window().location();
    let done = match how {
        Load::Assign => location.assign(url),
        Load::Replace => location.replace(url),
        Load::Reload => location.reload(),
    };
    if let Err(error) = done {
        gloo::console::error!(format!("cannot load {url}: {error:?}"));
    }
}

/// Goes to other pages from code (after signing in, to the login page, an inbox item's
/// session): through the router within the running app, by a full page load to another.
#[derive(Clone)]
pub struct GoTo {
    part: Part,
    navigator: Option<Navigator>,
}

/// A [`GoTo`] for the running app.
#[hook]
pub fn use_go_to() -> GoTo {
    GoTo { part: use_running().part, navigator: use_navigator() }
}

impl GoTo {
    /// Opens `route` as a new history entry.
    pub fn push(&self, route: &Route) {
        if route.part() != self.part && !is_offline() {
            load(&route.to_path(), Load::Assign);
        } else if let Some(navigator) = &self.navigator {
            // Another app's page while offline: this app's router shows that it waits for
            // the network (`pages::not_found::OtherAppPage`), not the browser's error page.
            navigator.push(route);
        }
    }

    /// Opens `route` with `query` in place of this page.
    pub fn replace_with_query<Q: Serialize>(&self, route: &Route, query: &Q) -> Result<(), String> {
        if route.part() == self.part || is_offline() {
            return match &self.navigator {
                Some(navigator) => navigator.replace_with_query(route, query).map_err(|error| error.to_string()),
                None => Ok(()),
            };
        }
        let query = serde_urlencoded::to_string(query).map_err(|error| error.to_string())?;
        load(&with_query(&route.to_path(), &query), Load::Replace);
        Ok(())
    }
}

/// Whether the browser knows it has no network: a full page load would fail.
pub fn is_offline() -> bool {
    web_sys::window().is_some_and(|window| !window.navigator().on_line())
}

/// `path` with `query` (already encoded) when there is one.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::LoginQuery;

    #[test]
    fn a_query_is_added_only_when_there_is_one() {
        assert_eq!(with_query("/login", ""), "/login");
        let query = LoginQuery { next: Some("/settings".into()), ..LoginQuery::default() };
        let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
        assert_eq!(with_query("/login", &encoded), "/login?next=%2Fsettings");
        assert_eq!(serde_urlencoded::to_string(LoginQuery::default()).as_deref(), Ok(""));
    }
}

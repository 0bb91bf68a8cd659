//! A part of an app that follows the event stream itself, beside the cache: live notes, in
//! the session app ([`crate::live_notes::FOLLOWER`]). The app's root hands it to the agent
//! ([`crate::root::AppRoot`]), so the apps without it hold none of its code.

use tandem_protocol::Event;

/// What the agent tells such a part.
#[derive(Clone, Copy, Debug)]
pub struct Follower {
    /// Every event, after the cache has taken it.
    pub on_event: fn(&Event),
    /// Events may have been missed (a reconnect that could not replay): catch up.
    pub catch_up: fn(),
}

impl PartialEq for Follower {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::fn_addr_eq(self.on_event, other.on_event) && std::ptr::fn_addr_eq(self.catch_up, other.catch_up)
    }
}

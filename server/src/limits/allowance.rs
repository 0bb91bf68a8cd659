//! A keyed allowance: `burst` at once per key, refilled evenly over a window. For the
//! limits whose refusal has an error kind of its own (password-reset requests, user lookups).

use std::net::IpAddr;
use std::time::Duration;

use governor::DefaultKeyedRateLimiter;
use tandem_protocol::UserId;

/// An allowance per key; with a burst of 0 it allows everything.
pub struct Allowance<K: std::hash::Hash + Eq + Clone> {
    limiter: Option<DefaultKeyedRateLimiter<K>>,
}

impl<K: std::hash::Hash + Eq + Clone> Allowance<K> {
    /// `burst` at once, refilled over `window`.
    pub fn new(burst: u32, window: Duration) -> Self {
        Allowance { limiter: super::keyed(burst, window) }
    }

    /// Takes one from `key`'s allowance; on refusal, how long until one is back.
    pub fn take(&self, key: &K) -> Result<(), Duration> {
        match &self.limiter {
            Some(limiter) => super::take(limiter, key),
            None => Ok(()),
        }
    }

    /// Forgets keys whose allowance is full again.
    pub fn sweep(&self) {
        if let Some(limiter) = &self.limiter {
            super::forget_idle(limiter);
        }
    }
}

/// Password-reset requests per client address.
pub type ResetRequests = Allowance<IpAddr>;
/// Email lookups per administrator.
pub type Lookups = Allowance<UserId>;
/// Caret moves in the notes per person.
pub type Carets = Allowance<UserId>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_key_waits() {
        let allowance = Allowance::new(2, Duration::from_secs(600));
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        assert!(allowance.take(&a).is_ok() && allowance.take(&a).is_ok());
        let wait = allowance.take(&a).unwrap_err();
        assert!(wait > Duration::from_secs(200));
        assert!(allowance.take(&b).is_ok());
        assert!((0..100).all(|_| Allowance::new(0, Duration::from_secs(1)).take(&a).is_ok()));
    }
}

//! Writes per person: a burst, then a tenth of it per second. One person wrote 200 notes of
//! 100k characters in half a second before this existed.

use std::time::Duration;

use governor::DefaultKeyedRateLimiter;
use tandem_protocol::UserId;

use crate::error::{Error, Result};

/// The per-person write allowance.
pub struct WriteLimit {
    limiter: Option<DefaultKeyedRateLimiter<UserId>>,
}

impl WriteLimit {
    /// `burst` writes at once, refilled over ten seconds; 0 turns it off.
    pub fn new(burst: u32) -> Self {
        WriteLimit { limiter: super::keyed(burst, Duration::from_secs(10)) }
    }

    /// Takes one write from `user`'s allowance, or refuses with a 429.
    pub fn take(&self, user: UserId) -> Result<()> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        super::take(limiter, &user).map_err(|wait| {
            tracing::warn!(%user, "write rate limit reached");
            crate::telemetry::throttled("writes");
            Error::too_many("You are making changes faster than the server accepts. Please slow down.", wait)
        })
    }

    /// Forgets people whose allowance is full again.
    pub fn sweep(&self) {
        if let Some(limiter) = &self.limiter {
            super::forget_idle(limiter);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_writes_are_refused_per_person() {
        let limit = WriteLimit::new(5);
        let (sam, alex) = (UserId(uuid::Uuid::new_v4()), UserId(uuid::Uuid::new_v4()));
        assert!((0..5).all(|_| limit.take(sam).is_ok()));
        assert!(matches!(limit.take(sam), Err(Error::TooManyRequests { .. })));
        assert!(limit.take(alex).is_ok());
        assert!((0..1000).all(|_| WriteLimit::new(0).take(sam).is_ok()));
    }
}

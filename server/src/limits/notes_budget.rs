//! What one person may add to notes per minute, in bytes of updates. Typing is a few KB a
//! minute and a pasted page a few tens; before this, one person wrote 700 KB into a session's
//! document again and again at the live-write allowance, and the database grew by 977 MB in
//! 25 s.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::DefaultKeyedRateLimiter;
use tandem_protocol::UserId;

use crate::error::{Error, Result};

/// The per-person allowance of notes bytes.
pub struct NotesBudget {
    limiter: Option<DefaultKeyedRateLimiter<UserId>>,
    per_minute: u32,
}

impl NotesBudget {
    /// `per_minute` bytes at once, refilled evenly over a minute; 0 turns it off.
    pub fn new(per_minute: u32) -> Self {
        NotesBudget { limiter: super::keyed(per_minute, Duration::from_secs(60)), per_minute }
    }

    /// Takes `bytes` from `user`'s allowance, or refuses with a 429 (an update larger than
    /// the whole allowance with a 422: waiting would not help).
    pub fn take(&self, user: UserId, bytes: usize) -> Result<()> {
        let Some(limiter) = &self.limiter else { return Ok(()) };
        let cells = u32::try_from(bytes).ok().and_then(NonZeroU32::new);
        let Some(cells) = cells else { return Ok(()) };
        match limiter.check_key_n(&user, cells) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                tracing::warn!(%user, bytes, "notes budget reached");
                crate::telemetry::throttled("notes_bytes");
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Err(Error::too_many(
                    "You are adding to the notes faster than the server accepts. Please slow down.",
                    wait,
                ))
            }
            Err(_larger_than_the_allowance) => Err(Error::validation(format!(
                "The notes change is too large: at most {} KiB may be added at once.",
                self.per_minute / 1024
            ))),
        }
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
    fn bytes_are_counted_per_person_and_an_oversized_update_is_refused_outright() {
        let budget = NotesBudget::new(10_000);
        let (sam, alex) = (UserId(uuid::Uuid::new_v4()), UserId(uuid::Uuid::new_v4()));
        assert!(budget.take(sam, 6_000).is_ok());
        assert!(matches!(budget.take(sam, 6_000), Err(Error::TooManyRequests { .. })));
        assert!(budget.take(alex, 6_000).is_ok());
        assert!(matches!(budget.take(alex, 20_000), Err(Error::Validation { .. })));
        assert!(NotesBudget::new(0).take(sam, 1 << 30).is_ok());
    }
}

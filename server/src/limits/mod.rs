//! What keeps one careless or hostile client from taking the server from everyone else:
//! bounded password checks, sign-in throttling, per-person write limits, and the client
//! address they are keyed by.

mod allowance;
mod client_address;
mod login_throttle;
mod notes_budget;
mod password_checks;
mod write_limit;

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub use allowance::{Allowance, Carets, Lookups, ResetRequests};
pub use client_address::{last_forwarded, ClientAddress};
pub use login_throttle::{LoginAllowances, LoginThrottle};
pub use notes_budget::NotesBudget;
pub use password_checks::PasswordChecks;
pub use write_limit::WriteLimit;

/// Email lookups an administrator may make per minute.
const LOOKUPS_PER_MINUTE: u32 = 30;

/// Every limit of the server, shared by the handlers.
pub struct Limits {
    pub password_checks: PasswordChecks,
    pub login: LoginThrottle,
    pub writes: WriteLimit,
    /// Live writes (typing in the notes, saying a page is open): small and frequent, so
    /// they draw from an allowance of their own, three times the other.
    pub live_writes: WriteLimit,
    /// Bytes one person may add to notes per minute.
    pub notes: NotesBudget,
    /// Password-reset requests per client address (ten minutes).
    pub reset_requests: ResetRequests,
    /// Email lookups per administrator (a minute).
    pub lookups: Lookups,
    /// Caret moves per person: fifteen a second, with a burst of thirty (a page sends at
    /// most ten).
    pub carets: Carets,
}

impl Limits {
    /// The limits the configuration asks for.
    pub fn new(config: &crate::Config) -> Self {
        Limits {
            password_checks: PasswordChecks::new(config.password_checks),
            login: LoginThrottle::new(LoginAllowances {
                failures_per_address: config.login_failures_per_address,
                failures_per_account: config.login_failures_per_account,
                failures_per_device: config.login_failures_per_device,
                sign_ins_per_account: config.sign_ins_per_account,
                sign_ins_per_address: config.sign_ins_per_address,
            }),
            writes: WriteLimit::new(config.write_burst),
            live_writes: WriteLimit::new(config.write_burst.saturating_mul(3)),
            notes: NotesBudget::new(config.notes_bytes_per_minute),
            reset_requests: Allowance::new(config.password_resets_per_address, Duration::from_secs(600)),
            lookups: Allowance::new(LOOKUPS_PER_MINUTE, Duration::from_secs(60)),
            carets: Allowance::new(30, Duration::from_secs(2)),
        }
    }

    /// Forgets keys that no longer matter; run now and then.
    pub fn sweep(&self) {
        self.login.sweep();
        self.writes.sweep();
        self.live_writes.sweep();
        self.notes.sweep();
        self.reset_requests.sweep();
        self.lookups.sweep();
        self.carets.sweep();
    }
}

/// A keyed limiter allowing `burst` at once, refilled evenly over `window`; `None` when
/// `burst` is 0 (no limit).
fn keyed<K: std::hash::Hash + Eq + Clone>(burst: u32, window: Duration) -> Option<DefaultKeyedRateLimiter<K>> {
    let burst = NonZeroU32::new(burst)?;
    let period = (window / burst.get()).max(Duration::from_millis(1));
    let quota = Quota::with_period(period)?.allow_burst(burst);
    Some(RateLimiter::keyed(quota))
}

/// Takes one from `key`'s allowance; on refusal, how long until one is back.
fn take<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>, key: &K) -> Result<(), Duration> {
    limiter.check_key(key).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
}

/// Forgets keys whose allowance is full again, so the maps do not grow without end.
fn forget_idle<K: std::hash::Hash + Eq + Clone>(limiter: &DefaultKeyedRateLimiter<K>) {
    limiter.retain_recent();
    limiter.shrink_to_fit();
}

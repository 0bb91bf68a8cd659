//! Throttles password guessing and sign-in floods. Failed sign-ins are counted per client
//! address and per account; once either has used its allowance, further tries are refused
//! with a 429 and `Retry-After` before any password is checked, so a guesser spends no
//! server CPU either. A browser with a device cookie of the account (see
//! `auth::device_cookie`) is judged by its own failures instead, so strangers' guesses do
//! not lock the owner out. Successful sign-ins are limited per account and per address per
//! minute: before, one account signed in 1,935 times in 36 s and opened a stream on each.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::DefaultKeyedRateLimiter;

use crate::auth::device_cookie::{account_key, DeviceId};
use crate::error::{Error, Result};

/// The window failures are counted over.
const WINDOW: Duration = Duration::from_secs(600);
/// The window successful sign-ins are counted over.
const SIGN_IN_WINDOW: Duration = Duration::from_secs(60);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Account(String),
    Device(DeviceId),
    /// The account signed in (with the right password) too often this minute.
    SignInsOf(String),
    /// The address did.
    SignInsFrom(IpAddr),
}

/// The allowances; 0 turns one off.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoginAllowances {
    /// Failed sign-ins per client address per ten minutes.
    pub failures_per_address: u32,
    /// Failed sign-ins per account per ten minutes, from browsers it does not know.
    pub failures_per_account: u32,
    /// Failed sign-ins per known browser (device cookie) per ten minutes.
    pub failures_per_device: u32,
    /// Successful sign-ins per account per minute.
    pub sign_ins_per_account: u32,
    /// Successful sign-ins per client address per minute.
    pub sign_ins_per_address: u32,
}

/// Failed and successful sign-in allowances, and the keys that have used theirs up.
pub struct LoginThrottle {
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_account: Option<DefaultKeyedRateLimiter<String>>,
    per_device: Option<DefaultKeyedRateLimiter<DeviceId>>,
    sign_ins_per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    sign_ins_per_account: Option<DefaultKeyedRateLimiter<String>>,
    /// Until when each exhausted key is refused.
    blocked: Mutex<HashMap<Key, Instant>>,
}

fn wait_error(what: &str, wait: Duration) -> Error {
    crate::telemetry::throttled("sign_ins");
    Error::too_many(format!("{what} Please wait {} seconds before trying again.", wait.as_secs().max(1)), wait)
}

impl LoginThrottle {
    pub fn new(allowances: LoginAllowances) -> Self {
        LoginThrottle {
            per_address: super::keyed(allowances.failures_per_address, WINDOW),
            per_account: super::keyed(allowances.failures_per_account, WINDOW),
            per_device: super::keyed(allowances.failures_per_device, WINDOW),
            sign_ins_per_address: super::keyed(allowances.sign_ins_per_address, SIGN_IN_WINDOW),
            sign_ins_per_account: super::keyed(allowances.sign_ins_per_account, SIGN_IN_WINDOW),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Instant>> {
        // Entries are plain values: a panic elsewhere cannot leave the map half-updated.
        self.blocked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The device, if the browser is known to the account and has not used its own
    /// allowance up: only then does it skip the account's and the address's.
    fn trusted(&self, device: Option<DeviceId>) -> Option<DeviceId> {
        let device = device?;
        let now = Instant::now();
        let blocked = self.blocked().get(&Key::Device(device)).is_some_and(|until| *until > now);
        (!blocked).then_some(device)
    }

    /// Refuses a sign-in from `address` to `email` (from the browser `device`, when it holds
    /// the account's device cookie) while it has no allowance left.
    /// Too many successful sign-ins count whatever the browser: they are refused before the
    /// password is checked, so a flood of them costs no hashing either.
    pub fn check(&self, address: IpAddr, email: &str, device: Option<DeviceId>) -> Result<()> {
        let now = Instant::now();
        let account = account_key(email);
        let blocked_until = |keys: &[Key]| {
            let blocked = self.blocked();
            keys.iter().filter_map(|key| blocked.get(key).copied()).filter(|until| *until > now).max()
        };
        if let Some(until) = blocked_until(&[Key::SignInsOf(account.clone()), Key::SignInsFrom(address)]) {
            return Err(wait_error("Too many sign-ins just now.", until - now));
        }
        if self.trusted(device).is_some() {
            return Ok(());
        }
        match blocked_until(&[Key::Address(address), Key::Account(account)]) {
            None => Ok(()),
            Some(until) => Err(wait_error("Too many failed sign-ins.", until - now)),
        }
    }

    /// Counts a failed sign-in: against the known browser alone, or else against the
    /// address and the account.
    pub fn failed(&self, address: IpAddr, email: &str, device: Option<DeviceId>) {
        let now = Instant::now();
        let mut exhausted = Vec::new();
        if let Some(device) = self.trusted(device) {
            if let Some(Err(wait)) = self.per_device.as_ref().map(|l| super::take(l, &device)) {
                exhausted.push((Key::Device(device), wait));
            }
        } else {
            if let Some(Err(wait)) = self.per_address.as_ref().map(|l| super::take(l, &address)) {
                exhausted.push((Key::Address(address), wait));
            }
            let account = account_key(email);
            if let Some(Err(wait)) = self.per_account.as_ref().map(|l| super::take(l, &account)) {
                exhausted.push((Key::Account(account), wait));
            }
        }
        if exhausted.is_empty() {
            return;
        }
        let mut blocked = self.blocked();
        for (key, wait) in exhausted {
            tracing::warn!(?key, wait_secs = wait.as_secs(), "throttling sign-ins: too many failures");
            blocked.insert(key, now + wait);
        }
    }

    /// Counts a sign-in with the right password; refuses it when the account or the
    /// address signed in too often this minute.
    /// Further ones are refused by [`check`](Self::check) until the allowance is back.
    pub fn succeeded(&self, address: IpAddr, email: &str) -> Result<()> {
        let account = account_key(email);
        let mut exhausted = Vec::new();
        if let Some(Err(wait)) = self.sign_ins_per_account.as_ref().map(|l| super::take(l, &account)) {
            exhausted.push((Key::SignInsOf(account), wait));
        }
        if let Some(Err(wait)) = self.sign_ins_per_address.as_ref().map(|l| super::take(l, &address)) {
            exhausted.push((Key::SignInsFrom(address), wait));
        }
        let Some(longest) = exhausted.iter().map(|(_, wait)| *wait).max() else { return Ok(()) };
        let now = Instant::now();
        let mut blocked = self.blocked();
        for (key, wait) in exhausted {
            tracing::warn!(?key, wait_secs = wait.as_secs(), "throttling sign-ins: too many at once");
            blocked.insert(key, now + wait);
        }
        Err(wait_error("Too many sign-ins just now.", longest))
    }

    /// Forgets what no longer matters; run now and then.
    pub fn sweep(&self) {
        let now = Instant::now();
        let mut blocked = self.blocked();
        blocked.retain(|_, until| *until > now);
        blocked.shrink_to_fit();
        drop(blocked);
        for limiter in [&self.per_address, &self.sign_ins_per_address].into_iter().flatten() {
            super::forget_idle(limiter);
        }
        for limiter in [&self.per_account, &self.sign_ins_per_account].into_iter().flatten() {
            super::forget_idle(limiter);
        }
        if let Some(limiter) = &self.per_device {
            super::forget_idle(limiter);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
    const THERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 7));

    #[test]
    fn an_account_is_refused_once_its_failures_are_used_up_from_any_address() {
        let throttle = LoginThrottle::new(LoginAllowances { failures_per_account: 3, ..LoginAllowances::default() });
        for _ in 0..3 {
            assert!(throttle.check(HERE, "sam@x", None).is_ok());
            throttle.failed(HERE, "sam@x", None);
        }
        // Three failures use the allowance up; the fourth is one too many and blocks.
        assert!(throttle.check(HERE, "sam@x", None).is_ok());
        throttle.failed(HERE, "sam@x", None);
        let refused = throttle.check(THERE, " SAM@x ", None).unwrap_err();
        assert!(matches!(refused, Error::TooManyRequests { retry_after, .. } if retry_after > Duration::from_secs(60)));
        assert!(throttle.check(HERE, "jordan@x", None).is_ok(), "other accounts are not affected");
    }

    #[test]
    fn an_address_is_refused_whatever_account_it_tries() {
        let throttle = LoginThrottle::new(LoginAllowances { failures_per_address: 2, ..LoginAllowances::default() });
        for n in 0..3 {
            throttle.failed(HERE, &format!("guess{n}@x"), None);
        }
        assert!(throttle.check(HERE, "anyone@x", None).is_err());
        assert!(throttle.check(THERE, "anyone@x", None).is_ok());
    }

    fn device(n: u8) -> DeviceId {
        DeviceId::for_tests(n)
    }

    #[test]
    fn a_known_browser_keeps_its_own_allowance_while_the_account_is_locked() {
        let throttle = LoginThrottle::new(LoginAllowances {
            failures_per_address: 5,
            failures_per_account: 3,
            failures_per_device: 2,
            ..LoginAllowances::default()
        });
        for _ in 0..10 {
            throttle.failed(THERE, "sam@x", None);
        }
        assert!(throttle.check(THERE, "sam@x", None).is_err(), "strangers are locked out");
        assert!(throttle.check(HERE, "sam@x", None).is_err(), "and so is a new browser");
        assert!(throttle.check(THERE, "sam@x", Some(device(1))).is_ok(), "the owner's browser is not");
        // Its failures are its own: two used up, the third blocks that browser only.
        for _ in 0..3 {
            throttle.failed(HERE, "sam@x", Some(device(1)));
        }
        assert!(throttle.check(HERE, "sam@x", Some(device(1))).is_err());
        assert!(throttle.check(HERE, "sam@x", Some(device(2))).is_ok());
        assert!(throttle.check(HERE, "jordan@x", None).is_ok(), "a known browser's failures spare the address");
    }

    #[test]
    fn successful_sign_ins_are_limited_per_account_and_per_address() {
        let throttle = LoginThrottle::new(LoginAllowances {
            sign_ins_per_account: 3,
            sign_ins_per_address: 5,
            ..LoginAllowances::default()
        });
        for _ in 0..3 {
            assert!(throttle.succeeded(HERE, "sam@x").is_ok());
        }
        let refused = throttle.succeeded(THERE, "SAM@x").unwrap_err();
        assert!(
            matches!(refused, Error::TooManyRequests { retry_after, .. } if retry_after <= Duration::from_secs(60))
        );
        assert!(throttle.check(HERE, "sam@x", Some(device(1))).is_err(), "refused before the password, any browser");
        assert!(throttle.succeeded(HERE, "jordan@x").is_ok());
        assert!(throttle.succeeded(HERE, "kim@x").is_ok());
        assert!(throttle.check(HERE, "lee@x", None).is_ok());
        assert!(throttle.succeeded(HERE, "lee@x").is_err(), "the address has used its five");
        assert!(throttle.check(HERE, "max@x", None).is_err());
        assert!(throttle.check(THERE, "max@x", None).is_ok());
        assert!(throttle.succeeded(THERE, "max@x").is_ok());
    }

    #[test]
    fn zero_turns_throttling_off() {
        let throttle = LoginThrottle::new(LoginAllowances::default());
        for _ in 0..100 {
            throttle.failed(HERE, "sam@x", None);
        }
        assert!(throttle.check(HERE, "sam@x", None).is_ok());
    }
}

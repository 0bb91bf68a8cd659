//! Throttles password guessing: failed sign-ins are counted per client address and per
//! account; once either has used its allowance, further tries are refused with a 429 and
//! `Retry-After` before any password is checked, so a guesser spends no server CPU either.
//! Successful sign-ins are not counted: they need the password.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::DefaultKeyedRateLimiter;

use crate::error::{Error, Result};

/// The window the allowances are counted over.
const WINDOW: Duration = Duration::from_secs(600);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Account(String),
}

/// Failed sign-in allowances and the keys that have used theirs up.
pub struct LoginThrottle {
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    per_account: Option<DefaultKeyedRateLimiter<String>>,
    /// Until when each exhausted key is refused.
    blocked: Mutex<HashMap<Key, Instant>>,
}

fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl LoginThrottle {
    /// `per_address` and `per_account` failures allowed per ten minutes; 0 turns one off.
    pub fn new(per_address: u32, per_account: u32) -> Self {
        LoginThrottle {
            per_address: super::keyed(per_address, WINDOW),
            per_account: super::keyed(per_account, WINDOW),
            blocked: Mutex::new(HashMap::new()),
        }
    }

    fn blocked(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Instant>> {
        // Entries are plain values: a panic elsewhere cannot leave the map half-updated.
        self.blocked.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Refuses a sign-in from `address` to `email` while either has no allowance left.
    pub fn check(&self, address: IpAddr, email: &str) -> Result<()> {
        let now = Instant::now();
        let blocked = self.blocked();
        let until = [Key::Address(address), Key::Account(account_key(email))]
            .iter()
            .filter_map(|key| blocked.get(key).copied())
            .filter(|until| *until > now)
            .max();
        match until {
            None => Ok(()),
            Some(until) => {
                let wait = until - now;
                Err(Error::too_many(
                    format!(
                        "Too many failed sign-ins. Please wait {} seconds before trying again.",
                        wait.as_secs().max(1)
                    ),
                    wait,
                ))
            }
        }
    }

    /// Counts a failed sign-in against the address and the account.
    pub fn failed(&self, address: IpAddr, email: &str) {
        let now = Instant::now();
        let mut exhausted = Vec::new();
        if let Some(Err(wait)) = self.per_address.as_ref().map(|l| super::take(l, &address)) {
            exhausted.push((Key::Address(address), wait));
        }
        let account = account_key(email);
        if let Some(Err(wait)) = self.per_account.as_ref().map(|l| super::take(l, &account)) {
            exhausted.push((Key::Account(account), wait));
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

    /// Forgets what no longer matters; run now and then.
    pub fn sweep(&self) {
        let now = Instant::now();
        self.blocked().retain(|_, until| *until > now);
        if let Some(limiter) = &self.per_address {
            super::forget_idle(limiter);
        }
        if let Some(limiter) = &self.per_account {
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
        let throttle = LoginThrottle::new(0, 3);
        for _ in 0..3 {
            assert!(throttle.check(HERE, "sam@x").is_ok());
            throttle.failed(HERE, "sam@x");
        }
        // Three failures use the allowance up; the fourth is one too many and blocks.
        assert!(throttle.check(HERE, "sam@x").is_ok());
        throttle.failed(HERE, "sam@x");
        let refused = throttle.check(THERE, " SAM@x ").unwrap_err();
        assert!(matches!(refused, Error::TooManyRequests { retry_after, .. } if retry_after > Duration::from_secs(60)));
        assert!(throttle.check(HERE, "jordan@x").is_ok(), "other accounts are not affected");
    }

    #[test]
    fn an_address_is_refused_whatever_account_it_tries() {
        let throttle = LoginThrottle::new(2, 0);
        for n in 0..3 {
            throttle.failed(HERE, &format!("guess{n}@x"));
        }
        assert!(throttle.check(HERE, "anyone@x").is_err());
        assert!(throttle.check(THERE, "anyone@x").is_ok());
    }

    #[test]
    fn zero_turns_throttling_off() {
        let throttle = LoginThrottle::new(0, 0);
        for _ in 0..100 {
            throttle.failed(HERE, "sam@x");
        }
        assert!(throttle.check(HERE, "sam@x").is_ok());
    }
}

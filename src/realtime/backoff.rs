//! Reconnection timing: exponential backoff with full jitter, 1 s × 1.5ⁿ capped at 30 s, at
//! most ten attempts; and the agent's other clocks.

/// Delay ceiling of the first attempt.
pub const BASE_MS: f64 = 1_000.0;
/// Growth per attempt.
pub const FACTOR: f64 = 1.5;
/// Largest delay ceiling.
pub const CAP_MS: f64 = 30_000.0;
/// Attempts before giving up and asking the person to retry.
pub const MAX_ATTEMPTS: u32 = 10;
/// A connection open this long counts as healthy: the attempt count starts over.
pub const STABLE_MS: u32 = 5_000;
/// No byte for this long (the server's heartbeat comes every 15 s) means a dead connection.
pub const WATCHDOG_MS: u32 = 45_000;
/// A tab that hears nothing from the tab holding the stream for this long takes it over.
pub const SILENCE_MS: u32 = 45_000;
/// The tab holding the stream says it lives this many times per silence (every 15 s).
pub const BEACONS_PER_SILENCE: u32 = 3;

/// The delay ceiling of attempt `n` (1-based).
pub fn ceiling_ms(attempt: u32) -> f64 {
    let exponent = attempt.saturating_sub(1).min(64) as i32;
    (BASE_MS * FACTOR.powi(exponent)).min(CAP_MS)
}

/// Full jitter: a uniformly random delay between 0 and the ceiling. `random` is in [0, 1).
pub fn delay_ms(attempt: u32, random: f64) -> u32 {
    (ceiling_ms(attempt) * random.clamp(0.0, 1.0)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_grow_by_half_and_stop_at_thirty_seconds() {
        let ceilings: Vec<u32> = (1..=10).map(|n| ceiling_ms(n) as u32).collect();
        assert_eq!(ceilings, [1000, 1500, 2250, 3375, 5062, 7593, 11390, 17085, 25628, 30000]);
        assert_eq!(ceiling_ms(1000) as u32, 30_000);
    }

    #[test]
    fn jitter_stays_within_zero_and_the_ceiling() {
        for attempt in 1..=12 {
            assert_eq!(delay_ms(attempt, 0.0), 0);
            assert!(delay_ms(attempt, 0.999_999) <= ceiling_ms(attempt) as u32);
            assert_eq!(delay_ms(attempt, 0.5), (ceiling_ms(attempt) * 0.5) as u32);
            // Out-of-range randomness is clamped, never a longer wait.
            assert!(delay_ms(attempt, 7.0) <= CAP_MS as u32);
        }
    }
}

//! The clocks of a state machine ([`super::connection`], [`super::tab_role`]): which are
//! running, each with the token of its latest arming, so that a firing already queued when
//! its clock was cancelled or armed again is recognised and ignored.

/// `N` one-shot clocks, by index.
#[derive(Debug)]
pub struct Clocks<const N: usize> {
    armed: [Option<u32>; N],
    last_token: u32,
}

impl<const N: usize> Default for Clocks<N> {
    fn default() -> Self {
        Clocks { armed: [None; N], last_token: 0 }
    }
}

impl<const N: usize> Clocks<N> {
    /// Starts clock `index` (replacing a running one); the token its firing must carry.
    pub fn arm(&mut self, index: usize) -> u32 {
        self.last_token = self.last_token.wrapping_add(1);
        self.armed[index] = Some(self.last_token);
        self.last_token
    }

    /// Stops clock `index`; whether it was running.
    pub fn cancel(&mut self, index: usize) -> bool {
        self.armed[index].take().is_some()
    }

    /// A firing of clock `index`: true when it is the running arming's (the clock stops),
    /// false for one cancelled or replaced meanwhile.
    pub fn fire(&mut self, index: usize, token: u32) -> bool {
        let current = self.armed[index] == Some(token);
        if current {
            self.armed[index] = None;
        }
        current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_latest_arming_fires_and_a_cancelled_clock_never_does() {
        let mut clocks = Clocks::<2>::default();
        let first = clocks.arm(0);
        let second = clocks.arm(0);
        assert!(!clocks.fire(0, first), "a replaced arming fired");
        assert!(clocks.fire(0, second));
        assert!(!clocks.fire(0, second), "a clock fired twice");
        let other = clocks.arm(1);
        assert!(clocks.cancel(1));
        assert!(!clocks.cancel(1));
        assert!(!clocks.fire(1, other), "a cancelled clock fired");
    }
}

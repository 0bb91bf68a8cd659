//! At most one argon2 check per core at a time. Each check takes a 19 MiB block: unbounded,
//! a flood of sign-ins made the server resident set grow by that much per concurrent try
//! (3.4 GB at 20 at once). Waiting checks give up after a short while with a 429.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::{Error, Result};

/// How long a check waits for its turn before the request is refused.
const MAX_WAIT: Duration = Duration::from_secs(3);

/// The gate every password check goes through.
#[derive(Clone)]
pub struct PasswordChecks {
    permits: Arc<Semaphore>,
}

impl PasswordChecks {
    /// At most `at_once` checks at a time; 0 means one per core.
    pub fn new(at_once: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let at_once = if at_once == 0 { cores } else { at_once };
        PasswordChecks { permits: Arc::new(Semaphore::new(at_once)) }
    }

    /// Runs `check` (CPU- and memory-heavy) on the blocking pool once a place is free.
    pub async fn run<T: Send + 'static>(&self, check: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let permit = match tokio::time::timeout(MAX_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_closed)) => return Err(Error::Internal("password checks are shut".into())),
            Err(_elapsed) => {
                tracing::warn!("shedding load: every password check is busy; answering 429");
                crate::telemetry::throttled("password_checks_busy");
                return Err(Error::too_many(
                    "The server is busy checking passwords. Please try again in a moment.",
                    Duration::from_secs(1),
                ));
            }
        };
        tokio::task::spawn_blocking(move || {
            let result = check();
            drop(permit);
            result
        })
        .await
        .map_err(|e| Error::Internal(format!("password check: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_checks_run_at_once_than_allowed() {
        let gate = PasswordChecks::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let checks = (0..8).map(|_| {
            let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                gate.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            })
        });
        for check in checks.collect::<Vec<_>>() {
            assert!(check.await.unwrap().is_ok());
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}

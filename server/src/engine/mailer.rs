//! Sends the queued mail (`db::mail_outbox`): wakes when this instance queues one and every
//! `--mail-poll-ms` otherwise (for what other instances queued, or what is due for a retry),
//! claims due mails, sends each and marks it. A failed send is logged and retried later with
//! a doubling wait; a stopped instance's claims lapse and another sends its mails.

use std::time::Duration;

use chrono::Utc;

use super::db::{account_tokens, mail_outbox, Conn};
use super::AppState;
use crate::mail::{Mail, Outgoing};

/// Mails claimed at once.
const BATCH: i64 = 20;
/// Mails of a batch sent at the same time (over the transport's pooled connections).
const SENDING_AT_ONCE: usize = 8;
/// Tries before a mail is given up (about a day of doubling waits from 30 s, capped at 1 h).
pub const MAX_ATTEMPTS: i32 = 30;
/// How long a claim lasts: longer than one send may take.
const CLAIM: Duration = Duration::from_secs(90);
/// Longest wait between two tries.
const LONGEST_WAIT: Duration = Duration::from_secs(3600);
/// How long sent mails and ended links are kept.
const KEPT: chrono::Duration = chrono::Duration::days(30);

/// Queues `mail` in the write's transaction; call [`wake`] after it commits.
pub async fn queue(db: &mut Conn, mail: &Mail) -> Result<(), sqlx::Error> {
    mail_outbox::enqueue(db, mail, Utc::now()).await?;
    crate::telemetry::mail("queued");
    Ok(())
}

/// Tells this instance's sender that mail is waiting.
pub fn wake(state: &AppState) {
    state.outgoing.wake.notify_one();
}

/// The wait before try number `attempts + 1`.
fn retry_wait(base: Duration, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(20);
    base.saturating_mul(1 << doublings).min(LONGEST_WAIT)
}

/// Sends queued mail until the task is stopped.
pub async fn run(state: AppState) {
    let poll = Duration::from_millis(state.config.mail_poll_ms.max(10));
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = state.outgoing.wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = every_hour.tick() => forget_old(&state).await,
        }
        if let Err(error) = send_due(&state).await {
            tracing::warn!("cannot read the mail queue: {error}");
        }
    }
}

/// Sends every mail due now, a batch at a time.
pub async fn send_due(state: &AppState) -> Result<(), sqlx::Error> {
    loop {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(CLAIM).unwrap_or_default();
        let claimed = mail_outbox::claim(&state.db, now, until, BATCH, MAX_ATTEMPTS).await?;
        if claimed.is_empty() {
            return Ok(());
        }
        for some in claimed.chunks(SENDING_AT_ONCE) {
            let sends: Vec<_> = some.iter().map(|mail| send_one(state, &state.outgoing, mail)).collect();
            for outcome in futures_util::future::join_all(sends).await {
                outcome?;
            }
        }
    }
}

async fn send_one(state: &AppState, outgoing: &Outgoing, claimed: &mail_outbox::Claimed) -> Result<(), sqlx::Error> {
    let mail = claimed.mail();
    let outcome = tokio::time::timeout(CLAIM / 2, outgoing.transport.send(&outgoing.from, &mail)).await;
    let error = match outcome {
        Ok(Ok(())) => {
            tracing::info!(to = %mail.to, kind = mail.kind.as_str(), "mail sent");
            crate::telemetry::mail("sent");
            return mail_outbox::sent(&state.db, claimed.id, Utc::now()).await;
        }
        Ok(Err(error)) => error.to_string(),
        Err(_) => "the mail server did not answer in time".to_owned(),
    };
    crate::telemetry::mail("failed");
    let wait = retry_wait(Duration::from_secs(state.config.mail_retry_secs.max(1)), claimed.attempts);
    let retry_at = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
    if claimed.attempts >= MAX_ATTEMPTS {
        tracing::error!(to = %mail.to, kind = mail.kind.as_str(), attempts = claimed.attempts, "mail given up: {error}");
    } else {
        tracing::warn!(to = %mail.to, kind = mail.kind.as_str(), attempts = claimed.attempts, retry_in_secs = wait.as_secs(), "mail not sent: {error}");
    }
    mail_outbox::failed(&state.db, claimed.id, &error, retry_at).await
}

async fn forget_old(state: &AppState) {
    let before = Utc::now() - KEPT;
    if let Err(error) = mail_outbox::forget_sent(&state.db, before).await {
        tracing::warn!("cannot forget sent mail: {error}");
    }
    if let Err(error) = account_tokens::forget_ended(&state.db, before).await {
        tracing::warn!("cannot forget ended links: {error}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_wait(base, 1), Duration::from_secs(30));
        assert_eq!(retry_wait(base, 2), Duration::from_secs(60));
        assert_eq!(retry_wait(base, 4), Duration::from_secs(240));
        assert_eq!(retry_wait(base, 12), LONGEST_WAIT);
        assert_eq!(retry_wait(base, 0), Duration::from_secs(30));
    }
}

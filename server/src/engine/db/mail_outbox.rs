//! The mail queue: mails are added in the transaction of the change that causes them, then
//! claimed for a while by one sender, and marked sent, or failed and due again later.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{dialect, new_id, Db};
use crate::mail::{Mail, MailKind};

/// A mail claimed for sending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: Uuid,
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub calendar: Option<String>,
    pub unsubscribe_url: Option<String>,
    /// Tries so far, this one included.
    pub attempts: i32,
}

impl Claimed {
    /// The mail to send.
    pub fn mail(&self) -> Mail {
        Mail {
            kind: MailKind::parse(&self.kind).unwrap_or(MailKind::Invitation),
            to: self.to_address.clone(),
            subject: self.subject.clone(),
            text: self.text_body.clone(),
            html: self.html_body.clone(),
            calendar: self.calendar.clone(),
            unsubscribe: self.unsubscribe_url.clone(),
        }
    }
}

/// Queues a mail, due at once.
pub async fn enqueue(
    db: impl sqlx::Executor<'_, Database = Db>,
    mail: &Mail,
    now: DateTime<Utc>,
) -> Result<Uuid, sqlx::Error> {
    let id: Uuid = new_id();
    sqlx::query(
        "INSERT INTO mail_outbox (id, kind, to_address, subject, text_body, html_body, created_at, next_attempt_at,
            calendar, unsubscribe_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
    )
    .bind(id)
    .bind(mail.kind.as_str())
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(now)
    .bind(&mail.calendar)
    .bind(&mail.unsubscribe)
    .execute(db)
    .await?;
    Ok(id)
}

/// Claims up to `limit` due mails until `claimed_until`, counting a try on each. A mail that
/// has had `max_attempts` tries is no longer claimed. A claim that lapses (its sender
/// stopped) makes the mail due again.
pub async fn claim(
    db: impl sqlx::Executor<'_, Database = Db>,
    now: DateTime<Utc>,
    claimed_until: DateTime<Utc>,
    limit: i64,
    max_attempts: i32,
) -> Result<Vec<Claimed>, sqlx::Error> {
    sqlx::query_as(&format!(
        "UPDATE mail_outbox SET claimed_until = $2, attempts = attempts + 1
         WHERE id IN (
            SELECT id FROM mail_outbox
            WHERE sent_at IS NULL AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
              AND attempts < $4
            ORDER BY next_attempt_at LIMIT $3{skip}
         )
         RETURNING id, kind, to_address, subject, text_body, html_body, calendar, unsubscribe_url, attempts",
        skip = dialect::SKIP_LOCKED
    ))
    .bind(now)
    .bind(claimed_until)
    .bind(limit)
    .bind(max_attempts)
    .fetch_all(db)
    .await
}

/// Marks a mail sent.
pub async fn sent(db: impl sqlx::Executor<'_, Database = Db>, id: Uuid, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(())
}

/// Marks a send failed: the mail is due again at `retry_at`.
pub async fn failed(
    db: impl sqlx::Executor<'_, Database = Db>,
    id: Uuid,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE mail_outbox SET claimed_until = NULL, next_attempt_at = $2, last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(retry_at)
        .bind(error)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets mails sent before `before`; run now and then.
pub async fn forget_sent(db: impl sqlx::Executor<'_, Database = Db>, before: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM mail_outbox WHERE sent_at < $1").bind(before).execute(db).await?;
    Ok(())
}

/// How many mails wait to be sent (for tests and operators).
pub async fn waiting(db: impl sqlx::Executor<'_, Database = Db>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL").fetch_one(db).await
}

//! Work that waits for a moment, in the database so that it survives restarts and runs once
//! across instances: session reminders and the daily digest of actions due soon. Looks every
//! `--jobs-poll-ms` (the job clock); a reminder whose moment passed while no instance ran
//! goes out when one is back, unless its session has started.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::db::reminders::{self, Due, Lead, OpenAction};
use super::db::{coaching_sessions, deleted_items, inbox, notification_settings, relationships, topics, users, Conn};
use super::{dialect, mailer, notify, AppState};
use crate::auth::unsubscribe::MailSetting;
use crate::error::{Error, Result};
use crate::mail::templates::{self, DigestItem, Recipient, SessionLines};

/// Reminders claimed per transaction.
const BATCH: i64 = 100;
/// How far ahead the digest looks.
const DIGEST_AHEAD: chrono::Duration = chrono::Duration::days(2);

/// Runs the jobs until the task is stopped: at each look, and at the moment the next
/// reminder falls due when that comes sooner.
pub async fn run(state: AppState) {
    let poll = Duration::from_millis(state.config.jobs_poll_ms.max(10));
    let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
    let mut wait = Duration::ZERO;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {
                let reminded = send_due_reminders(&state).await;
                if let Err(error) = &reminded {
                    tracing::warn!("cannot send reminders: {error}");
                }
                if let Err(error) = send_digests(&state).await {
                    tracing::warn!("cannot send digests: {error}");
                }
                // After a failure, wait a whole look rather than retry at once.
                wait = if reminded.is_ok() { until_next(&state, poll).await } else { poll };
            }
            _ = every_hour.tick() => {
                if let Err(error) = inbox::forget_before(&state.db, Utc::now() - inbox::KEPT).await {
                    tracing::warn!("cannot forget old inbox items: {error}");
                }
                // Undo is offered for seconds: what a delete took away is kept a day.
                let undo_ends = Utc::now() - chrono::Duration::days(1);
                if let Err(error) = deleted_items::forget(&state.db, undo_ends).await {
                    tracing::warn!("cannot forget old deletes: {error}");
                }
                if let Err(error) = topics::forget_deleted(&state.db, undo_ends).await {
                    tracing::warn!("cannot forget deleted topics: {error}");
                }
            }
        }
    }
}

/// The wait until the next look: `poll`, or less when a reminder falls due sooner.
async fn until_next(state: &AppState, poll: Duration) -> Duration {
    match reminders::next_due(&state.db).await {
        Ok(Some(due)) => (due - Utc::now()).to_std().unwrap_or(Duration::ZERO).min(poll),
        Ok(None) => poll,
        Err(error) => {
            tracing::warn!("cannot read when the next reminder is due: {error}");
            poll
        }
    }
}

/// Sends every reminder due now, a batch per transaction; returns how many mails it queued.
pub async fn send_due_reminders(state: &AppState) -> Result<usize> {
    let mut queued = 0;
    loop {
        let now = Utc::now();
        let mut tx = dialect::begin_write(&state.db).await?;
        let due = reminders::claim_due(&mut tx, now, BATCH).await?;
        if due.is_empty() {
            return Ok(queued);
        }
        for reminder in &due {
            if reminder.starts_at > now && remind(state, &mut tx, reminder).await? {
                queued += 1;
            }
        }
        tx.commit().await?;
        mailer::wake(state);
    }
}

/// Queues one reminder's mail, unless its person turned that reminder off; whether it did.
async fn remind(state: &AppState, db: &mut Conn, reminder: &Due) -> Result<bool> {
    let settings = notification_settings::of(&mut *db, reminder.user_id).await?;
    let (wanted, lead) = match reminder.lead {
        Lead::Day => (settings.reminder_day_before, "tomorrow"),
        Lead::Hour => (settings.reminder_hour_before, "in an hour"),
    };
    if !wanted {
        return Ok(false);
    }
    let Some(session) = coaching_sessions::by_id(&mut *db, reminder.coaching_session_id).await? else {
        return Ok(false);
    };
    let participants =
        relationships::participants(&mut *db, session.coaching_relationship_id).await?.ok_or(Error::NotFound)?;
    if !participants.includes(reminder.user_id) {
        return Ok(false);
    }
    let other_id = if participants.coach_id == reminder.user_id { participants.coachee_id } else { participants.coach_id };
    let (Some(reader), Some(other)) =
        (users::by_id_in(db, reminder.user_id).await?, users::by_id_in(db, other_id).await?)
    else {
        return Ok(false);
    };
    let actions = reminders::open_actions_due(db, session.coaching_relationship_id, reader.id, notify::starts(&session))
        .await?
        .into_iter()
        .map(|action| describe(&action, &reader.timezone))
        .collect::<Vec<_>>();
    let when = templates::when(notify::starts(&session), &reader.timezone);
    let page = notify::session_page(state, session.id);
    let lines = SessionLines {
        when: &when,
        minutes: session.duration_minutes,
        title: session.title.as_deref(),
        with: &other.name(),
        page: &page,
        meeting_url: session.meeting_url.as_deref(),
    };
    let to = Recipient { email: &reader.email, first_name: &reader.first_name };
    let agenda: Vec<String> = topics::of_session(&mut *db, session.id).await?.into_iter().map(|topic| topic.body).collect();
    let unsubscribe = notify::unsubscribe(state, reader.id, MailSetting::Reminders);
    let mail = templates::reminder(&to, lead, &lines, &actions, &agenda, unsubscribe);
    mailer::queue(db, &mail).await?;
    Ok(true)
}

fn describe(action: &OpenAction, zone: &str) -> String {
    let body = action.body.as_deref().map(str::trim).filter(|body| !body.is_empty()).unwrap_or("An action");
    format!("{body} (due {})", templates::when(action.due_by, zone))
}

/// Sends each person who wants it, whose day has reached `--digest-hour` and who has open
/// actions due in the next two days, that day's digest; returns how many it queued.
pub async fn send_digests(state: &AppState) -> Result<usize> {
    let now = Utc::now();
    let due = reminders::open_actions_due_between(&state.db, now, now + DIGEST_AHEAD).await?;
    let mut by_person: BTreeMap<UserId, Vec<OpenAction>> = BTreeMap::new();
    for action in due {
        by_person.entry(action.user_id).or_default().push(action);
    }
    let mut queued = 0;
    for (person, actions) in by_person {
        if digest(state, person, &actions, now).await? {
            queued += 1;
        }
    }
    if queued > 0 {
        mailer::wake(state);
    }
    Ok(queued)
}

async fn digest(state: &AppState, person: UserId, actions: &[OpenAction], now: DateTime<Utc>) -> Result<bool> {
    // Read first, so that the common case (sent already today, or turned off) writes nothing.
    if !notification_settings::of(&state.db, person).await?.action_digest {
        return Ok(false);
    }
    let Some(reader) = users::by_id(&state.db, person).await?.map(|stored| stored.user) else { return Ok(false) };
    let zone = reader.timezone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    let local = now.with_timezone(&zone);
    let local_date = local.date_naive().to_string();
    if chrono::Timelike::hour(&local) < state.config.digest_hour || reminders::had_digest(&state.db, person, &local_date).await? {
        return Ok(false);
    }
    let mut tx = dialect::begin_write(&state.db).await?;
    // Whichever instance records the day first sends it.
    if !reminders::digest_sent(&mut tx, person, &local_date, now).await? {
        return Ok(false);
    }
    let items: Vec<DigestItem> = actions
        .iter()
        .map(|action| DigestItem {
            action: action.body.clone().filter(|body| !body.trim().is_empty()).unwrap_or_else(|| "An action".to_owned()),
            due: templates::when(action.due_by, &reader.timezone),
            link: format!("{}?highlight={}", notify::session_page(state, action.coaching_session_id), action.id),
        })
        .collect();
    let to = Recipient { email: &reader.email, first_name: &reader.first_name };
    let actions_page = format!("{}/actions", notify::base_url(state));
    let mail = templates::action_digest(&to, &items, &actions_page, notify::unsubscribe(state, person, MailSetting::ActionDigest));
    mailer::queue(&mut tx, &mail).await?;
    tx.commit().await?;
    Ok(true)
}

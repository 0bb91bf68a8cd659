//! What reaches people who are not looking, decided inside the write that causes it: the
//! mails (invites with their calendar file, action assigned) queued in its transaction, the
//! other person's inbox item with its event, and the session's reminders as jobs. So a
//! change and what it tells people land together or not at all.

use chrono::{DateTime, Duration, Utc};
use tandem_protocol::{
    Action, CoachingSession, CoachingSessionId, Event, NotificationCreated, NotificationKind, NotificationSettings,
    User, UserId,
};

use super::db::inbox::{self, NewItem};
use super::db::reminders::{self, Lead};
use super::db::{notification_settings, users};
use super::mailer;
use super::write::Write;
use super::AppState;
use crate::auth::unsubscribe::MailSetting;
use crate::error::{Error, Result};
use crate::mail::calendar::{self, CalendarPerson, Method, SessionEvent};
use crate::mail::templates::{self, Recipient, SeriesLines, SessionChange, SessionLines, Unsubscribe};

/// The web app's address, without a trailing slash.
pub fn base_url(state: &AppState) -> &str {
    state.config.public_url.trim_end_matches('/')
}

/// A session's page.
pub fn session_page(state: &AppState, session: CoachingSessionId) -> String {
    format!("{}/coaching-sessions/{session}", base_url(state))
}

/// `person`'s one-click link that turns `setting` off.
pub fn unsubscribe(state: &AppState, person: UserId, setting: MailSetting) -> Unsubscribe {
    let token = state.unsubscribe.token(person, setting);
    Unsubscribe { what: setting.describe(), url: format!("{}/unsubscribe/{token}", base_url(state)) }
}

/// The session's start as an instant (sessions keep naive UTC).
pub fn starts(session: &CoachingSession) -> DateTime<Utc> {
    session.date.and_utc()
}

/// The reminders' leads, from the job clock's settings.
pub fn leads(state: &AppState) -> [(Lead, Duration); 2] {
    let secs = |value: u64| Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX / 1000));
    [(Lead::Day, secs(state.config.reminder_day_secs)), (Lead::Hour, secs(state.config.reminder_hour_secs))]
}

/// The calendar event of a session between `coach` and `coachee`.
pub fn session_event(
    state: &AppState,
    session: &CoachingSession,
    coach: CalendarPerson,
    coachee: CalendarPerson,
    sequence: i32,
) -> SessionEvent {
    let host = url::Url::parse(base_url(state)).ok().and_then(|url| url.host_str().map(str::to_owned));
    SessionEvent {
        uid: format!("{}@{}", session.id, host.as_deref().unwrap_or("tandem")),
        sequence: u32::try_from(sequence).unwrap_or(0),
        starts: starts(session),
        minutes: i64::from(session.duration_minutes),
        summary: session
            .title
            .clone()
            .filter(|title| !title.trim().is_empty())
            .unwrap_or_else(|| format!("Coaching: {} & {}", coach.name, coachee.name)),
        page: session_page(state, session.id),
        meeting_url: session.meeting_url.clone(),
        organizer: coach.clone(),
        attendees: vec![coach, coachee],
        changed_at: session.updated_at,
    }
}

/// A person as a calendar names them.
pub fn person(user: &User) -> CalendarPerson {
    CalendarPerson { name: user.name(), email: user.email.clone() }
}

/// The relationship's coach and coachee, as stored now.
async fn the_two(write: &mut Write<'_>) -> Result<(User, User)> {
    let (coach, coachee) = (write.participants().coach_id, write.participants().coachee_id);
    let coach = users::by_id_in(write.db(), coach).await?.ok_or(Error::NotFound)?;
    let coachee = users::by_id_in(write.db(), coachee).await?.ok_or(Error::NotFound)?;
    Ok((coach, coachee))
}

/// A new session: both get the invite, the other person an inbox item, and its reminders are
/// set.
pub async fn session_scheduled(write: &mut Write<'_>, session: &CoachingSession, actor: UserId) -> Result<()> {
    session_invites(write, session, SessionChange::Scheduled, actor).await?;
    set_reminders(write, session).await
}

/// A changed session (time, length, title or link): an updated invite; when its time moved,
/// an inbox item and its reminders set again.
pub async fn session_changed(
    write: &mut Write<'_>,
    before: &CoachingSession,
    after: &CoachingSession,
    actor: UserId,
) -> Result<()> {
    let moved = before.date != after.date;
    let changed = moved
        || before.duration_minutes != after.duration_minutes
        || before.title != after.title
        || before.meeting_url != after.meeting_url;
    if !changed {
        return Ok(());
    }
    session_invites(write, after, SessionChange::Moved, actor).await?;
    if moved {
        set_reminders(write, after).await?;
    }
    Ok(())
}

/// A cancelled session: the cancelling invite, an inbox item (its reminders go with the row).
pub async fn session_cancelled(write: &mut Write<'_>, session: &CoachingSession, actor: UserId) -> Result<()> {
    session_invites(write, session, SessionChange::Cancelled, actor).await
}

async fn set_reminders(write: &mut Write<'_>, session: &CoachingSession) -> Result<()> {
    let people = write.participants().recipients();
    let leads = leads(write.state());
    reminders::schedule(write.db(), session.id, &people, starts(session), &leads, Utc::now()).await?;
    Ok(())
}

async fn session_invites(write: &mut Write<'_>, session: &CoachingSession, change: SessionChange, actor: UserId) -> Result<()> {
    let state = write.state();
    let (coach, coachee) = the_two(write).await?;
    let actor_name = if actor == coach.id { coach.name() } else { coachee.name() };
    // A cancel must outrank the last invite the calendars saw.
    let sequence = if change == SessionChange::Cancelled { session.ical_sequence + 1 } else { session.ical_sequence };
    let method = if change == SessionChange::Cancelled { Method::Cancel } else { Method::Request };
    let event = session_event(state, session, person(&coach), person(&coachee), sequence);
    let ics = calendar::invite(method, &event, &coach.timezone);
    let recipients = write.participants().recipients();
    for (reader, other) in [(&coach, &coachee), (&coachee, &coach)] {
        if !recipients.contains(&reader.id) {
            continue;
        }
        let settings = notification_settings::of(&mut *write.db(), reader.id).await?;
        if settings.session_invites {
            let when = templates::when(event.starts, &reader.timezone);
            let lines = SessionLines {
                when: &when,
                minutes: session.duration_minutes,
                title: session.title.as_deref(),
                with: &other.name(),
                page: &event.page,
                meeting_url: session.meeting_url.as_deref(),
            };
            let to = Recipient { email: &reader.email, first_name: &reader.first_name };
            let mut mail = templates::session_invite(
                &to,
                change,
                &actor_name,
                &lines,
                unsubscribe(state, reader.id, MailSetting::SessionInvites),
            );
            mail.calendar = Some(ics.clone());
            mailer::queue(write.db(), &mail).await?;
            write.queued_mail();
        }
        if reader.id != actor {
            let kind = inbox_kind(change);
            let item = NewItem {
                user: reader.id,
                kind,
                actor,
                actor_name: &actor_name,
                subject: &event.summary,
                session: Some(session.id),
                action: None,
                session_date: Some(session.date),
            };
            add_to_inbox(write, &item).await?;
        }
    }
    Ok(())
}

/// The inbox item's kind for a change of a session (or of a series' sessions).
const fn inbox_kind(change: SessionChange) -> NotificationKind {
    match change {
        SessionChange::Scheduled => NotificationKind::SessionScheduled,
        SessionChange::Moved => NotificationKind::SessionMoved,
        SessionChange::Cancelled => NotificationKind::SessionCancelled,
    }
}

/// A recurring series scheduled, rescheduled or deleted: `sessions` are the ones that were
/// made or moved (or, for a delete, cancelled). One mail per person carries them all, with
/// one calendar file; the other person gets one inbox item; moved and new sessions get their
/// reminders.
pub async fn series_changed(
    write: &mut Write<'_>,
    change: SessionChange,
    sessions: &[CoachingSession],
    actor: UserId,
) -> Result<()> {
    let Some(first) = sessions.first() else { return Ok(()) };
    if change != SessionChange::Cancelled {
        for session in sessions {
            set_reminders(write, session).await?;
        }
    }
    let state = write.state();
    let (coach, coachee) = the_two(write).await?;
    let actor_name = if actor == coach.id { coach.name() } else { coachee.name() };
    let cancelled = change == SessionChange::Cancelled;
    let events: Vec<(SessionEvent, bool)> = sessions
        .iter()
        .map(|session| {
            // A cancel must outrank the last invite the calendars saw.
            let sequence = session.ical_sequence + i32::from(cancelled);
            (session_event(state, session, person(&coach), person(&coachee), sequence), cancelled)
        })
        .collect();
    let ics = calendar::series(&events, &coach.timezone);
    let dashboard = format!("{}/dashboard", base_url(state));
    let recipients = write.participants().recipients();
    for (reader, other) in [(&coach, &coachee), (&coachee, &coach)] {
        if !recipients.contains(&reader.id) {
            continue;
        }
        let settings = notification_settings::of(&mut *write.db(), reader.id).await?;
        if settings.session_invites {
            let whens: Vec<String> =
                sessions.iter().map(|session| templates::when(starts(session), &reader.timezone)).collect();
            let lines =
                SeriesLines { whens: &whens, minutes: first.duration_minutes, with: &other.name(), page: &dashboard };
            let to = Recipient { email: &reader.email, first_name: &reader.first_name };
            let unsubscribe = unsubscribe(state, reader.id, MailSetting::SessionInvites);
            let mut mail = templates::series_invite(&to, change, &actor_name, &lines, unsubscribe);
            mail.calendar = Some(ics.clone());
            mailer::queue(write.db(), &mail).await?;
            write.queued_mail();
        }
        if reader.id != actor {
            let kind = inbox_kind(change);
            let subject = format!("{} recurring sessions", sessions.len());
            let item = NewItem {
                user: reader.id,
                kind,
                actor,
                actor_name: &actor_name,
                subject: &subject,
                session: Some(first.id),
                action: None,
                session_date: Some(first.date),
            };
            add_to_inbox(write, &item).await?;
        }
    }
    Ok(())
}

/// An action assigned to `newly` (besides whom it had): each of them but the actor gets a
/// mail and an inbox item.
pub async fn action_assigned(write: &mut Write<'_>, action: &Action, newly: &[UserId], actor: UserId) -> Result<()> {
    let readers: Vec<UserId> = newly.iter().copied().filter(|person| *person != actor).collect();
    if readers.is_empty() {
        return Ok(());
    }
    let state = write.state();
    let actor_name = users::by_id_in(write.db(), actor).await?.map(|user| user.name()).unwrap_or_default();
    let subject = action.body.clone().filter(|body| !body.trim().is_empty()).unwrap_or_else(|| "An action".to_owned());
    let link = format!("{}?highlight={}", session_page(state, action.coaching_session_id), action.id);
    for reader in readers {
        let Some(user) = users::by_id_in(write.db(), reader).await? else { continue };
        let settings: NotificationSettings = notification_settings::of(&mut *write.db(), reader).await?;
        if settings.action_assigned {
            let due = action.due_by.map(|due| templates::when(due, &user.timezone));
            let to = Recipient { email: &user.email, first_name: &user.first_name };
            let mail = templates::action_assigned(
                &to,
                &actor_name,
                &subject,
                due.as_deref(),
                &link,
                unsubscribe(state, reader, MailSetting::ActionAssigned),
            );
            mailer::queue(write.db(), &mail).await?;
            write.queued_mail();
        }
        let item = NewItem {
            user: reader,
            kind: NotificationKind::ActionAssigned,
            actor,
            actor_name: &actor_name,
            subject: &subject,
            session: Some(action.coaching_session_id),
            action: Some(action.id),
            session_date: None,
        };
        add_to_inbox(write, &item).await?;
    }
    Ok(())
}

/// Something added to a session (an agreement, a topic): an inbox item for the other person.
pub async fn added_to_session(
    write: &mut Write<'_>,
    kind: NotificationKind,
    subject: &str,
    session: CoachingSessionId,
    actor: UserId,
) -> Result<()> {
    let participants = write.participants();
    let other = if actor == participants.coach_id { participants.coachee_id } else { participants.coach_id };
    let actor_name = users::by_id_in(write.db(), actor).await?.map(|user| user.name()).unwrap_or_default();
    let item = NewItem {
        user: other,
        kind,
        actor,
        actor_name: &actor_name,
        subject,
        session: Some(session),
        action: None,
        session_date: None,
    };
    add_to_inbox(write, &item).await
}

async fn add_to_inbox(write: &mut Write<'_>, item: &NewItem<'_>) -> Result<()> {
    if !write.participants().recipients().contains(&item.user) {
        return Ok(());
    }
    let notification = inbox::add(write.db(), item, Utc::now()).await?;
    write.emit_to(item.user, Event::NotificationCreated(NotificationCreated { notification }));
    Ok(())
}

//! The event stream in the database: ids, the replay window, and what reaches other
//! instances.
//!
//! Ids count per person. A write takes its recipients' next ids from their `event_heads`
//! rows, which stay locked until it commits (in user-id order, so two writes never wait for
//! each other in a circle): a person's events therefore commit in id order, and once a
//! stream has seen id N no event below N can still appear. The events themselves are kept in
//! `events` for the replay window (the newest `replay_size` per person, none older than
//! `replay_age`), so a stream on any instance can resume from any other's ids.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tandem_protocol::{Event, Resync, UserId};

use super::db::{Conn, Pool};
use super::dialect;
use crate::auth::LoginId;
use crate::realtime::notice::{EventNotice, LogoutNotice, EVENTS_CHANNEL, LOGOUT_CHANNEL};
use crate::realtime::{Catchup, Frame, Hub, HubSettings};

/// An event written for its recipients, ready to deliver once the write commits.
pub struct Recorded {
    /// Each recipient with the event as they receive it (with their id).
    pub frames: Vec<(UserId, Arc<Frame>)>,
    name: &'static str,
    data: Arc<str>,
    compaction: Option<Compaction>,
}

/// How an event that a later one supersedes is kept for replay.
struct Compaction {
    /// What the superseding event shares with it (the notes document it updates).
    key: String,
    /// Its short form.
    data: String,
}

/// Notes updates are superseded by the next update of the same document by the same author:
/// replay keeps the newest whole and the older ones without their update (a replica catches
/// up by state vector on those), so the short form a later event writes over an older one is
/// exactly the older one's own. One person inserting and deleting 700 KB at the live-write allowance
/// had grown the table by 934 MB in 25 s.
/// Carets (`note_awareness_updated`) likewise: only each person's newest is worth replaying.
fn compaction(event: &Event) -> Option<Compaction> {
    let (kind, updated, short): (&str, _, fn(_) -> Event) = match event {
        Event::NoteDocumentUpdated(updated) => ("notes", updated, Event::NoteDocumentUpdated),
        Event::NoteAwarenessUpdated(updated) => ("caret", updated, Event::NoteAwarenessUpdated),
        _ => return None,
    };
    Some(Compaction {
        key: format!("{kind}:{}:{}", updated.coaching_session_id, updated.user_id),
        data: short(tandem_protocol::NoteDocumentUpdated { update: None, ..updated.clone() }).to_data_json(),
    })
}

impl Recorded {
    /// Hands the event to this instance's streams.
    pub fn deliver(&self, hub: &Hub) {
        for (user, frame) in &self.frames {
            hub.deliver(*user, frame);
        }
    }

    /// The notification other instances (and this one) deliver it from.
    fn notice(&self) -> String {
        let to = self.frames.iter().map(|(user, frame)| (*user, frame.id.unwrap_or(0))).collect();
        EventNotice::payload(to, self.name, &self.data)
    }
}

fn to_db_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

fn from_db_id(id: i64) -> u64 {
    u64::try_from(id).unwrap_or(0)
}

/// Records `events` for `recipients` inside the write's transaction and returns them with
/// their ids. On a shared database the notification goes out with the commit.
pub async fn record(
    tx: &mut Conn,
    recipients: &[UserId],
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<Vec<Recorded>, sqlx::Error> {
    let mut recipients = recipients.to_vec();
    recipients.sort();
    recipients.dedup();
    let count = i64::try_from(events.len()).unwrap_or(i64::MAX);
    let mut recorded: Vec<Recorded> = events
        .iter()
        .map(|event| Recorded {
            frames: Vec::new(),
            name: event.name(),
            data: event.to_data_json().into(),
            compaction: compaction(event),
        })
        .collect();
    if count == 0 {
        return Ok(recorded);
    }
    for user in recipients {
        let last: i64 = sqlx::query_scalar(
            "INSERT INTO event_heads (user_id, last_id) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET last_id = event_heads.last_id + $2
             RETURNING last_id",
        )
        .bind(user)
        .bind(count)
        .fetch_one(&mut *tx)
        .await?;
        for (offset, event) in recorded.iter_mut().enumerate() {
            let id = last - count + 1 + i64::try_from(offset).unwrap_or(0);
            let key = event.compaction.as_ref().map(|c| c.key.as_str());
            if let Some(compaction) = &event.compaction {
                sqlx::query(
                    "UPDATE events SET data = $1, compact_key = NULL WHERE user_id = $2 AND compact_key = $3",
                )
                .bind(&compaction.data)
                .bind(user)
                .bind(&compaction.key)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "INSERT INTO events (user_id, id, name, data, created_at, compact_key) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(user)
            .bind(id)
            .bind(event.name)
            .bind(&*event.data)
            .bind(now)
            .bind(key)
            .execute(&mut *tx)
            .await?;
            let frame = Frame::new(Some(from_db_id(id)), event.name.into(), event.data.clone());
            event.frames.push((user, Arc::new(frame)));
        }
    }
    for event in &recorded {
        dialect::notify(&mut *tx, EVENTS_CHANNEL, &event.notice()).await?;
    }
    crate::telemetry::events_published(recorded.iter().map(|event| event.frames.len()).sum());
    Ok(recorded)
}

/// The oldest moment still inside the replay window.
fn window_start(settings: &HubSettings) -> DateTime<Utc> {
    chrono::Duration::from_std(settings.replay_age)
        .ok()
        .and_then(|age| Utc::now().checked_sub_signed(age))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The newest id `user` has (0: none yet).
async fn head(db: &mut Conn, user: UserId) -> Result<u64, sqlx::Error> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT last_id FROM event_heads WHERE user_id = $1").bind(user).fetch_optional(db).await?;
    Ok(last.map_or(0, from_db_id))
}

/// `user`'s kept events after `after` up to `through`, oldest first.
async fn kept_after(
    db: &mut Conn,
    user: UserId,
    after: u64,
    through: u64,
    settings: &HubSettings,
) -> Result<Vec<Arc<Frame>>, sqlx::Error> {
    let oldest = window_start(settings);
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, data FROM events WHERE user_id = $1 AND id > $2 AND id <= $3 AND created_at >= $4
         ORDER BY id",
    )
    .bind(user)
    .bind(to_db_id(after))
    .bind(to_db_id(through))
    .bind(oldest)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, data)| Arc::new(Frame::new(Some(from_db_id(id)), name.into(), data.into())))
        .collect())
}

/// What a stream that saw events up to `after` missed up to `through`: the events, or a
/// resync when some of them are no longer kept.
async fn gap(
    db: &mut Conn,
    user: UserId,
    after: u64,
    through: u64,
    settings: &HubSettings,
) -> Result<Catchup, sqlx::Error> {
    if after == through {
        return Ok(Catchup::Nothing);
    }
    // Past the newest id (an older server's ids), or more than the window keeps.
    if after > through || through - after > settings.replay_size as u64 {
        return Ok(Catchup::Resync { current_id: through });
    }
    let frames = kept_after(db, user, after, through, settings).await?;
    let complete = frames.first().and_then(|f| f.id) == Some(after + 1)
        && frames.last().and_then(|f| f.id) == Some(through)
        && frames.len() as u64 == through - after;
    Ok(if complete { Catchup::Replay(frames) } else { Catchup::Resync { current_id: through } })
}

/// What a stream that saw `user`'s events up to `last_event_id` missed, and the id it is
/// then caught up to. A first connection (no id) misses nothing; an id from the future (an
/// older server's ids) or from before the replay window means resync.
pub async fn catch_up(
    db: &mut Conn,
    user: UserId,
    last_event_id: Option<u64>,
    settings: &HubSettings,
) -> Result<(Catchup, u64), sqlx::Error> {
    let through = head(db, user).await?;
    let catchup = match last_event_id {
        None => Catchup::Nothing,
        Some(after) => gap(db, user, after, through, settings).await?,
    };
    Ok((catchup, through))
}

/// Delivers to this instance's streams what they may have missed while deliveries were not
/// arriving (the database's notification connection was lost): every kept event after what
/// each person's streams have seen, or a resync where the window no longer reaches back.
pub async fn redeliver_missed(pool: &Pool, hub: &Hub) -> Result<(), sqlx::Error> {
    let mut db = pool.acquire().await?;
    for (user, seen) in hub.replay_positions() {
        let through = head(&mut db, user).await?;
        match gap(&mut db, user, seen, through, hub.settings()).await? {
            Catchup::Nothing => {}
            Catchup::Replay(frames) => frames.iter().for_each(|frame| hub.deliver(user, frame)),
            Catchup::Resync { current_id } => {
                hub.deliver(user, &Arc::new(Frame::of(&Event::Resync(Resync {}), Some(current_id))));
            }
        }
    }
    Ok(())
}

/// Reads the events a notification named by id only (too large to travel inline).
pub async fn by_ids(pool: &Pool, to: &[(UserId, u64)]) -> Result<Vec<(UserId, Arc<Frame>)>, sqlx::Error> {
    let mut db = pool.acquire().await?;
    let mut frames = Vec::with_capacity(to.len());
    for &(user, id) in to {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, data FROM events WHERE user_id = $1 AND id = $2")
                .bind(user)
                .bind(to_db_id(id))
                .fetch_optional(&mut *db)
                .await?;
        if let Some((name, data)) = row {
            frames.push((user, Arc::new(Frame::new(Some(id), name.into(), data.into()))));
        }
    }
    Ok(frames)
}

/// Forgets events past the replay window (older than its age, or beyond its size per
/// person); run now and then. Writes never delete events, so this is the one deleter and it
/// takes no lock a write waits for.
pub async fn trim(pool: &Pool, settings: &HubSettings) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM events WHERE created_at < $1").bind(window_start(settings)).execute(pool).await?;
    let keep = i64::try_from(settings.replay_size).unwrap_or(i64::MAX);
    sqlx::query(
        "DELETE FROM events WHERE id <= (SELECT h.last_id - $1 FROM event_heads h WHERE h.user_id = events.user_id)",
    )
    .bind(keep)
    .execute(pool)
    .await?;
    Ok(())
}

/// Closes this instance's streams of logins that ended while their notice could not arrive
/// (the database's notifications were lost for a while).
pub async fn close_revoked(pool: &Pool, hub: &Hub) -> Result<(), sqlx::Error> {
    let open = hub.open_logins();
    if open.is_empty() {
        return Ok(());
    }
    let revoked: Vec<LoginId> = sqlx::query_scalar(&format!(
        "SELECT id FROM logins WHERE revoked_at IS NOT NULL AND {}",
        dialect::in_ids("id", 1)
    ))
    .bind(dialect::id_list(open.iter().map(|(_, login)| login.0)))
    .fetch_all(pool)
    .await?;
    for (user, login) in open.into_iter().filter(|(_, login)| revoked.contains(login)) {
        hub.force_logout(user, &[login], "Your session was ended.");
    }
    Ok(())
}

/// Sends `force_logout` to the streams of `user`'s ended `logins` and closes them, on every
/// instance.
pub async fn force_logout(
    pool: &Pool,
    hub: &Hub,
    user: UserId,
    logins: Vec<LoginId>,
    reason: &str,
) -> Result<(), sqlx::Error> {
    if dialect::SHARED {
        let notice = LogoutNotice { user, logins, reason: reason.to_owned() };
        let payload = serde_json::to_string(&notice).unwrap_or_default();
        dialect::notify(&mut *pool.acquire().await?, LOGOUT_CHANNEL, &payload).await
    } else {
        hub.force_logout(user, &logins, reason);
        Ok(())
    }
}

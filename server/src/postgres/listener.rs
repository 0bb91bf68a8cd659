//! How events reach the streams of every instance on PostgreSQL: each instance listens to the
//! notifications that writes send with their commit (`NOTIFY`, see `events::record`) and
//! delivers them to its own streams, the writer's instance included.
//!
//! A lost listening connection (PostgreSQL restarted, the network dropped) is opened again
//! with a growing pause, and what the streams here missed meanwhile is then read from the
//! events table and delivered, or a `resync` where the replay window no longer reaches.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgListener, PgNotification};
use tokio::task::JoinHandle;

use super::db::Pool;
use super::events;
use crate::realtime::notice::{EventNotice, LogoutNotice, EVENTS_CHANNEL, LOGOUT_CHANNEL};
use crate::realtime::{Frame, Hub};

/// The listening task; it stops when this is dropped (the server's state is gone).
pub struct Delivery {
    task: JoinHandle<()>,
    /// Whether the listening connection is up and caught up.
    connected: Arc<AtomicBool>,
}

impl Delivery {
    /// Whether other instances' events reach this one now.
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn listen(pool: &Pool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([EVENTS_CHANNEL, LOGOUT_CHANNEL]).await?;
    Ok(listener)
}

/// Starts listening before the server serves; an unreachable database is an error here.
pub async fn start(pool: Pool, hub: Arc<Hub>) -> Result<Delivery, sqlx::Error> {
    let listener = listen(&pool).await?;
    let connected = Arc::new(AtomicBool::new(true));
    Ok(Delivery { task: tokio::spawn(run(listener, pool, hub, connected.clone())), connected })
}

/// How long the listening connection may stay silent before it is checked: a connection a
/// network dropped without a word would otherwise never be noticed.
const QUIET_CHECK: Duration = Duration::from_secs(30);

async fn run(mut listener: PgListener, pool: Pool, hub: Arc<Hub>, connected: Arc<AtomicBool>) {
    loop {
        let lost = match tokio::time::timeout(QUIET_CHECK, listener.try_recv()).await {
            Ok(Ok(Some(notification))) => {
                handle(&notification, &pool, &hub).await;
                continue;
            }
            // Lost, and already listening again on a new connection.
            Ok(Ok(None)) => None,
            Ok(Err(sqlx::Error::PoolClosed)) => return,
            Ok(Err(error)) => Some(error),
            Err(_quiet) => match sqlx::query("SELECT 1").execute(&mut listener).await {
                Ok(_) => continue,
                Err(error) => Some(error),
            },
        };
        connected.store(false, Ordering::SeqCst);
        match lost {
            None => tracing::warn!("lost the database's event notifications; listening again"),
            Some(error) => {
                tracing::warn!("lost the database's event notifications: {error}");
                listener = reconnect(&pool).await;
            }
        }
        catch_up(&pool, &hub).await;
        connected.store(true, Ordering::SeqCst);
    }
}

/// A new listening connection, retried with a growing pause (up to 5 s) until it works.
async fn reconnect(pool: &Pool) -> PgListener {
    let mut pause = Duration::from_millis(100);
    loop {
        tokio::time::sleep(pause).await;
        match listen(pool).await {
            Ok(listener) => {
                tracing::info!("listening to the database's event notifications again");
                return listener;
            }
            Err(error) => {
                tracing::debug!("still cannot listen to the database: {error}");
                pause = (pause * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Delivers what the streams here missed while no notification could arrive, and closes
/// the streams of logins that ended meanwhile.
async fn catch_up(pool: &Pool, hub: &Hub) {
    let mut pause = Duration::from_millis(100);
    while let Err(error) = async {
        events::redeliver_missed(pool, hub).await?;
        events::close_revoked(pool, hub).await
    }
    .await
    {
        tracing::warn!("cannot read the missed events yet: {error}");
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_secs(5));
    }
}

async fn handle(notification: &PgNotification, pool: &Pool, hub: &Hub) {
    match notification.channel() {
        // A notice that cannot be read is a gap the next event shows (`realtime::order`).
        EVENTS_CHANNEL => match serde_json::from_str::<EventNotice>(notification.payload()) {
            Ok(notice) => deliver(notice, pool, hub).await,
            Err(error) => tracing::warn!("ignored a malformed event notification: {error}"),
        },
        LOGOUT_CHANNEL => match serde_json::from_str::<LogoutNotice>(notification.payload()) {
            Ok(notice) => hub.force_logout(notice.user, &notice.logins, &notice.reason),
            Err(error) => tracing::warn!("ignored a malformed logout notification: {error}"),
        },
        other => tracing::debug!("ignored a notification on {other}"),
    }
}

/// Hands a committed event to the streams here of those it is for.
async fn deliver(notice: EventNotice, pool: &Pool, hub: &Hub) {
    let here: Vec<_> = notice.to.into_iter().filter(|(user, _)| hub.connections_of(*user) > 0).collect();
    if here.is_empty() {
        return;
    }
    match notice.event {
        Some(body) => {
            let name: Arc<str> = body.name.into();
            let data: Arc<str> = body.data.get().into();
            for (user, id) in here {
                hub.deliver(user, &Arc::new(Frame::new(Some(id), name.clone(), data.clone())));
            }
        }
        // Too large to travel inline: read from the table. If it cannot be read, the next
        // event's id shows each stream the gap, and the stream resumes from the database
        // (`realtime::order`).
        None => match events::by_ids(pool, &here).await {
            Ok(frames) => frames.iter().for_each(|(user, frame)| hub.deliver(*user, frame)),
            Err(error) => tracing::warn!("cannot read a large event: {error}"),
        },
    }
}

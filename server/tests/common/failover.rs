//! Clients that ride out an instance stopping, as a browser behind nginx does: a stream that
//! ends reconnects (after the `retry:` it was given) to an instance that is up, with
//! `Last-Event-ID`; a write refused at the door, or failing while the database restarts, is
//! sent again. Shared by `tests/rolling_restart.rs` and `make bench` (`benches/fanout/`).

#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::Client;

use super::sse::FrameReader;

/// What one stream saw.
#[derive(Default)]
pub struct Seen {
    /// The ids of the agreements' events, in arrival order.
    pub ids: Vec<u64>,
    /// Events that arrived twice.
    pub duplicates: usize,
    /// A heartbeat or resync said ids were skipped.
    pub gaps: usize,
    /// From each end of the stream by its stopping instance to its next opened connection.
    pub reconnects: Vec<Duration>,
}

/// The instances clients may reach, as the load balancer knows them.
#[derive(Clone, Default)]
pub struct Balancer {
    up: Arc<Mutex<Vec<String>>>,
    turn: Arc<AtomicU64>,
}

impl Balancer {
    pub fn set(&self, bases: Vec<String>) {
        *self.up.lock().unwrap() = bases;
    }

    /// The next instance, taking turns.
    pub fn pick(&self) -> Option<String> {
        let up = self.up.lock().unwrap();
        let n = self.turn.fetch_add(1, Ordering::Relaxed) as usize;
        (!up.is_empty()).then(|| up[n % up.len()].clone())
    }
}

/// Holds one stream open through everything, reconnecting as a browser would.
pub async fn follow(
    client: Client,
    balancer: Balancer,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<AtomicBool>,
    opened: Arc<AtomicU64>,
) {
    let mut last: Option<u64> = None;
    let mut ended_at: Option<Instant> = None;
    let mut counted_open = false;
    while !stop.load(Ordering::Relaxed) {
        let Some(base) = balancer.pick() else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let mut request = client.get(format!("{base}/api/sse")).header("accept", "text/event-stream");
        if let Some(id) = last {
            request = request.header("last-event-id", id.to_string());
        }
        let Ok(response) = request.send().await else { continue };
        if !response.status().is_success() {
            continue;
        }
        let mut body = response.bytes_stream();
        let mut reader = FrameReader::default();
        let mut retry = Duration::from_millis(1000);
        let mut first = true;
        loop {
            let chunk = tokio::select! {
                chunk = body.next() => chunk,
                _ = tokio::time::sleep(Duration::from_millis(200)) => {
                    if stop.load(Ordering::Relaxed) { return; }
                    continue;
                }
            };
            let Some(Ok(bytes)) = chunk else { break };
            reader.push(&bytes);
            while let Some(frame) = reader.next_frame() {
                if first {
                    first = false;
                    if let Some(ended) = ended_at.take() {
                        seen.lock().unwrap().reconnects.push(ended.elapsed());
                    }
                    if !counted_open {
                        counted_open = true;
                        opened.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Some(ms) = frame.retry {
                    retry = Duration::from_millis(ms);
                }
                let Some(id) = frame.id.as_deref().and_then(|id| id.parse::<u64>().ok()) else { continue };
                let mut seen = seen.lock().unwrap();
                match frame.event.as_deref() {
                    Some("agreement_created") => {
                        if last.is_some_and(|last| id <= last) {
                            seen.duplicates += 1;
                        } else {
                            if last.is_some_and(|last| id != last + 1) {
                                seen.gaps += 1;
                            }
                            seen.ids.push(id);
                            last = Some(id);
                        }
                    }
                    Some("resync") => seen.gaps += 1,
                    // Another event of the person's (an inbox item): ids go on through it.
                    Some(name) if name != tandem_protocol::HEARTBEAT_EVENT => {
                        if last.is_some_and(|last| id > last + 1) {
                            seen.gaps += 1;
                        }
                        last = Some(last.map_or(id, |known| known.max(id)));
                    }
                    // A heartbeat names the newest id: past ours means events were skipped.
                    _ => {
                        if let Some(known) = last {
                            if id > known {
                                seen.gaps += 1;
                            }
                        }
                        last = Some(last.map_or(id, |known| known.max(id)));
                    }
                }
            }
        }
        // Only an end its instance announced (stopping: `retry: 1`) counts as "its instance
        // stopped"; a stream ended for a gap comes back after the usual second, by design.
        ended_at = (retry < Duration::from_millis(10)).then(Instant::now);
        tokio::time::sleep(retry).await;
    }
}

/// Sends one write until it goes in (a write refused at the door, its instance stopping, or
/// failing while the database restarts, is sent again, as a person would retry); whether it
/// went in within 30 s: how long it took from its first sending, if it did.
pub async fn write_once(client: Client, balancer: Balancer, body: serde_json::Value) -> Option<Duration> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(30);
    while Instant::now() < deadline {
        let Some(base) = balancer.pick() else {
            tokio::time::sleep(Duration::from_millis(5)).await;
            continue;
        };
        let sent = client
            .post(format!("{base}/api/agreements"))
            .header("x-version", tandem_protocol::API_VERSION)
            .json(&body)
            .timeout(Duration::from_secs(15))
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status().is_success() => return Some(started.elapsed()),
            // 5xx while the database restarts, or refused at the door by a stopping instance.
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    None
}

/// Starts a write every `every` until stopped, each on its own, taking `sessions` in turn (a
/// session holds at most 200 agreements); returns (writes committed,
/// writes that never went in).
pub async fn write_every(
    every: Duration,
    client: Client,
    balancer: Balancer,
    sessions: Vec<String>,
    stop: Arc<AtomicBool>,
) -> (Vec<Duration>, usize) {
    let mut tick = tokio::time::interval(every);
    let mut writes = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        let session = &sessions[writes.len() % sessions.len().max(1)];
        let body = serde_json::json!({"coaching_session_id": session, "body": format!("write {}", writes.len())});
        writes.push(tokio::spawn(write_once(client.clone(), balancer.clone(), body)));
    }
    let mut took = Vec::with_capacity(writes.len());
    let mut failed = 0;
    for write in writes {
        match write.await.ok().flatten() {
            Some(latency) => took.push(latency),
            None => failed += 1,
        }
    }
    (took, failed)
}

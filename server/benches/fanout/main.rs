//! `make bench` part 1: the event stream's fan-out and catch-up, against the release server
//! binary on loopback, with a fresh database of its own. Writes `target/bench/fanout.json`.
//!
//! For each step N (1 000, 5 000, 10 000, 19 000 connections), on a fresh server, it opens N
//! streams spread over the 2·R people of R relationships, has the coaches make W writes, and
//! records for every delivered event the time from the moment its write was sent (what the
//! person who made it feels, not from the answer) to its arrival, events lost, server
//! memory per idle connection (VmRSS from /proc) and server CPU per delivered event. It stops
//! at the first step that fails and says why. Then catch-up: 1 000 clients go away, 100
//! writes happen, the clients come back with `Last-Event-ID`; time until all hold all, over
//! five rounds. Last, under attack: the p95 of an ordinary signed-in request, quiet and
//! then while 200 failed sign-ins (20 at a time) and 2,000 idle connections hit the server.
//!
//! Then the mail queue: reset requests that queue a mail, and ones that send none, timed
//! while the server's SMTP server is stalled; and 1,000 reminders due at one moment, and the
//! calendar feed of a person with 500 sessions (`notify.rs`).
//!
//! With a PostgreSQL server (TANDEM_TEST_POSTGRES, as `make bench` provides it), the cluster
//! step runs two instances on one database: 1 000 streams over both, writes through one.
//!
//! With `PEER=<the peer's API base>` (the reference backend serves its routes at the root,
//! `http://host:port`; a Tandem server under `/api`, `http://host:port/api`), and
//! `PEER_COACH`, `PEER_COACHEE`, `PEER_PASSWORD`, `PEER_SESSION` (two people of one coaching
//! session on that server), the peer step points
//! the same load generator at any server that speaks the contract (the reference backend,
//! say) and at Tandem, in the same shape: `PEER_STREAMS` (100) streams of the coachee, and
//! the coach writes `PEER_WRITES` (80) agreements, each timed from its sending to its arrival
//! on every stream. Both go side by side in the report.
//!
//! Everything stays on 127.0.0.1 (but a peer), every loop is bounded, and the run stops by
//! itself.

#[path = "../../tests/common/sse.rs"]
mod sse;

#[path = "../../tests/common/failover.rs"]
mod failover;

#[path = "../../tests/common/mail.rs"]
#[allow(dead_code)]
mod mail_server;

mod attack;
mod load;
mod mail;
mod notify;
mod peer;
mod report;
mod rolling;
mod server;
mod stats;
mod streams;
mod world;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::StreamExt;
use reqwest::Client;
use serde_json::{json, Value};
use tandem_protocol::{Role, API_VERSION};
use tandem_server::auth::password;
use tokio::sync::mpsc;

use attack::*;
use load::*;
use mail::*;
use notify::*;
use peer::*;
use rolling::*;
use server::*;
use stats::*;
use streams::*;
use world::*;

pub(crate) type BenchResult<T> = Result<T, String>;

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("bench failed: {error}");
        std::process::exit(1);
    }
}

async fn run() -> BenchResult<()> {
    let fd_limit = tandem_server::connections::raise_file_limit().unwrap_or(0);
    // Cargo runs benches from the package folder; paths are taken from the workspace root.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let binary = std::env::var("TANDEM_SERVER_BIN")
        .unwrap_or_else(|_| root.join("target/release/tandem-server").display().to_string());
    let dir = std::env::temp_dir().join(format!("tandem-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}/tandem.db", dir.display());
    let world = seed(&url).await?;
    // BENCH_ONLY=notifications (or rolling, with TANDEM_TEST_POSTGRES) measures that part alone.
    let only = std::env::var("BENCH_ONLY").ok();
    if let Some(part) = only.as_deref() {
        let figures = match (part, std::env::var("TANDEM_TEST_POSTGRES")) {
            ("notifications", _) => notifications(&binary, &url, &world).await?,
            ("rolling", Ok(admin)) => rolling_restart(&binary, &admin).await?,
            _ => return Err(format!("BENCH_ONLY={part}: notifications, or rolling with TANDEM_TEST_POSTGRES")),
        };
        println!("{figures}");
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    }
    // Every step and the catch-up get a server of their own, so none measures what an
    // earlier one left behind (memory its allocator kept, connections still closing).
    let start = || Running::start(&binary, &url, &world);
    println!("fan-out (file limit {fd_limit}, {RELATIONSHIPS} relationships, {WRITES_PER_STEP} writes per step)");
    let mut steps = Vec::new();
    let mut stopped = None;
    // BENCH_STEPS=100,1000 runs fewer steps (a quick check); the default is the full list.
    let chosen: Vec<usize> = std::env::var("BENCH_STEPS")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| STEPS.to_vec());
    for n in chosen {
        let step = match start().await {
            Ok(running) => {
                let bases = [running.server.base.as_str()];
                fanout_step(&running.server, &bases, &running.clients, &running.writers, &world, n).await
            }
            Err(error) => Err(error),
        };
        match step {
            Ok(step) => {
                println!(
                    "  {:>6} connections: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms, lost {}, {:.2} KiB/idle connection ({:.1} → {:.1} MiB), {:.1} µs CPU/event",
                    step.connections, step.p50, step.p95, step.p99, step.max, step.lost, step.rss_kib_per_idle_conn, step.rss_mib.0, step.rss_mib.1, step.cpu_us_per_event
                );
                let failed = step.lost > 0;
                steps.push(step);
                if failed {
                    stopped = Some(format!("{n} connections lost events"));
                    break;
                }
            }
            Err(error) => {
                println!("  {n:>6} connections: failed: {error}");
                stopped = Some(format!("{n} connections: {error}"));
                break;
            }
        }
    }
    let cluster = match std::env::var("TANDEM_TEST_POSTGRES") {
        Ok(admin) => cluster_step(&binary, &admin).await.unwrap_or_else(|e| json!({"error": e})),
        Err(_) => json!({"skipped": "no PostgreSQL (TANDEM_TEST_POSTGRES)"}),
    };
    let rolling = match std::env::var("TANDEM_TEST_POSTGRES") {
        Ok(admin) => rolling_restart(&binary, &admin).await.unwrap_or_else(|e| {
            println!("  the rolling restart step failed: {e}");
            json!({"error": e})
        }),
        Err(_) => json!({"skipped": "no PostgreSQL (TANDEM_TEST_POSTGRES)"}),
    };
    let peer = match Peer::from_env()? {
        Some(peer) => {
            println!("side by side with {}:", peer.api);
            peer_step(&peer, &binary, &url, &world).await.unwrap_or_else(|error| {
                // Said here as well as in the report: a run must not look fine when it was not.
                println!("  the peer step failed: {error}");
                json!({"error": error})
            })
        }
        None => json!({"skipped": "no PEER given"}),
    };
    let catchup = match start().await {
        Ok(running) => catchup(&running.server, &running.clients, &running.writers, &world).await,
        Err(error) => Err(error),
    }
    .unwrap_or_else(|e| json!({"error": e}));
    let attack = match Running::start_with(&binary, &url, &world, "10").await {
        Ok(running) => under_attack(&running.server, &running.writers[0], &world).await,
        Err(error) => Err(error),
    }
    .unwrap_or_else(|e| json!({"error": e}));
    let mail = mail_queue(&binary, &url, &world).await.unwrap_or_else(|e| json!({"error": e}));
    let metrics = metrics_cost(&binary, &url, &world).await.unwrap_or_else(|e| json!({"error": e}));
    // Last: it adds sessions and reminders to the database the other parts share.
    let notified = notifications(&binary, &url, &world).await.unwrap_or_else(|e| {
        println!("  the notifications step failed: {e}");
        json!({"error": e})
    });
    let extra =
        json!({ "mail_queue": mail, "rolling_restart": rolling, "metrics_cost": metrics, "notifications": notified });
    report::write(&root.join("target/bench"), &steps, stopped, cluster, peer, catchup, attack, extra)?;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(std::env::temp_dir().join(format!("tandem-bench-mail-{}", std::process::id())));
    Ok(())
}

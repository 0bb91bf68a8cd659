//! A rolling restart under load: 1,000 event streams over two instances on PostgreSQL, a
//! write every 20 ms, each instance in turn sent SIGTERM (it drains), replaced and waited for
//! until `/api/ready`, then PostgreSQL restarted. Every stream must hold every write exactly
//! once, no write may fail for good, and a stream whose instance stopped must be back within
//! 2 s. The instances are the server binary in processes of their own, as in production; the
//! clients act as browsers behind nginx do (`common/failover.rs`). In a test binary of its own
//! (the PostgreSQL restart would disturb tests beside it). `make test` runs it built with
//! `--release` (its own step): in a debug build the 1,000 clients' frame reading alone took
//! most of the 2 s on two cores (1.6 to 1.9 s, against 0.3 s in release).

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::failover::{follow, write_every, Balancer, Seen};
use common::mail::free_port;
use common::*;

const STREAMS: usize = 1_000;
const WRITE_EVERY: Duration = Duration::from_millis(20);

/// An instance: the server binary on `url`, without a per-person stream cap or a write
/// allowance (one person holds all the streams and writes fast).
struct Instance {
    child: Child,
    base: String,
}

impl Instance {
    async fn start(url: &str, dir: &std::path::Path) -> Instance {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_tandem-server"))
            .args(["--port", &port.to_string(), "--database-url", url, "--log-level", "error"])
            .args(["--sse-streams-per-person", "0", "--write-burst", "0", "--connections-per-address-percent", "100"])
            .arg("--static-dir")
            .arg(dir.join("dist"))
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server binary");
        let instance = Instance { child, base: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = reqwest::get(format!("{}/api/ready", instance.base)).await;
            if let Ok(answer) = ready {
                if answer.text().await.is_ok_and(|text| text == "ready") {
                    return instance;
                }
            }
            assert!(Instant::now() < deadline, "an instance did not become ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGTERM, as an orchestrator stops it; waits for the exit, which must be 0.
    async fn drain(&mut self) -> Duration {
        let started = Instant::now();
        // SAFETY: kill only sends a signal to the child this test started.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        loop {
            if let Some(status) = self.child.try_wait().expect("the instance's status") {
                assert!(status.success(), "a drained instance exits 0, not {status}");
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(15), "an instance did not stop after SIGTERM");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn a_rolling_restart_and_a_database_restart_under_1000_streams_lose_and_duplicate_nothing() {
    let restart_postgres = std::env::var("TANDEM_TEST_POSTGRES_RESTART").expect("scripts/with-postgres.sh sets it");
    assert!(std::env::var(POSTGRES_ENV).is_ok(), "needs PostgreSQL: scripts/with-postgres.sh");
    let _ = tandem_server::connections::raise_file_limit();
    // The demo people and their sessions, written by an in-process server that then stops.
    let mut seeder = TestServer::start().await;
    let w = seeder.world().await;
    seeder.shut_down().await;
    let url = seeder.config().database_url;
    let mut a = Instance::start(&url, &seeder.dir).await;
    let mut b = Instance::start(&url, &seeder.dir).await;
    let balancer = Balancer::default();
    balancer.set(vec![a.base.clone(), b.base.clone()]);
    let sign_in = |base: String, email: &'static str| async move {
        let client = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().unwrap();
        let answer = client
            .post(format!("{base}/api/login"))
            .form(&[("email", email), ("password", DEMO_PASSWORD)])
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "sign-in of {email}");
        client
    };

    let sam = sign_in(a.base.clone(), SAM).await;
    let alex = sign_in(a.base.clone(), COACH).await;
    let stop_streams = Arc::new(AtomicBool::new(false));
    let opened = Arc::new(AtomicU64::new(0));
    let seen: Vec<Arc<Mutex<Seen>>> = (0..STREAMS).map(|_| Arc::default()).collect();
    let streams: Vec<_> = seen
        .iter()
        .map(|seen| {
            tokio::spawn(follow(sam.clone(), balancer.clone(), seen.clone(), stop_streams.clone(), opened.clone()))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while opened.load(Ordering::Relaxed) < STREAMS as u64 {
        assert!(Instant::now() < deadline, "only {} streams opened", opened.load(Ordering::Relaxed));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let stop_writes = Arc::new(AtomicBool::new(false));
    // Sam's sessions in turn: one session holds at most 200 agreements.
    let listed = alex
        .get(format!(
            "{}/api/coaching_sessions?coaching_relationship_id={}&from_date=2000-01-01&to_date=2100-01-01",
            a.base, w.with_sam
        ))
        .header("x-version", tandem_protocol::API_VERSION)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let sessions: Vec<String> =
        listed["data"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    assert!(sessions.len() >= 3, "{listed}");
    let writer = tokio::spawn(write_every(WRITE_EVERY, alex.clone(), balancer.clone(), sessions, stop_writes.clone()));
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Instance by instance: out of the balancer, drained, replaced, back in once ready.
    balancer.set(vec![b.base.clone()]);
    let took = a.drain().await;
    eprintln!("instance a drained and exited in {took:?}");
    let a2 = Instance::start(&url, &seeder.dir).await;
    balancer.set(vec![a2.base.clone(), b.base.clone()]);
    balancer.set(vec![a2.base.clone()]);
    let took = b.drain().await;
    eprintln!("instance b drained and exited in {took:?}");
    let b2 = Instance::start(&url, &seeder.dir).await;
    balancer.set(vec![a2.base.clone(), b2.base.clone()]);
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Then the database goes away and comes back, writes going on.
    let restarted =
        tokio::task::spawn_blocking(move || std::process::Command::new("sh").arg("-c").arg(restart_postgres).status());
    assert!(restarted.await.unwrap().unwrap().success(), "PostgreSQL restarted");
    tokio::time::sleep(Duration::from_secs(2)).await;
    stop_writes.store(true, Ordering::Relaxed);
    let (took, failed) = writer.await.unwrap();
    let committed = took.len();
    assert_eq!(failed, 0, "writes that never went in");
    assert!(committed > 100, "only {committed} writes");

    // Every stream ends up with every write once.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let behind = seen.iter().filter(|s| s.lock().unwrap().ids.len() < committed).count();
        if behind == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{behind} streams still miss writes");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop_streams.store(true, Ordering::Relaxed);
    for stream in streams {
        let _ = stream.await;
    }
    let mut slowest = Duration::ZERO;
    let moved = seen.iter().filter(|s| !s.lock().unwrap().reconnects.is_empty()).count();
    assert!(moved >= STREAMS / 2, "only {moved} streams were on a stopped instance");
    for (n, seen) in seen.iter().enumerate() {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.ids.len(), committed, "stream {n}: events");
        assert_eq!(seen.duplicates, 0, "stream {n}: duplicates");
        assert_eq!(seen.gaps, 0, "stream {n}: gaps");
        slowest = seen.reconnects.iter().copied().fold(slowest, Duration::max);
    }
    eprintln!("slowest stream back after its instance stopped: {slowest:?}; {committed} writes");
    assert!(slowest <= Duration::from_secs(2), "a stream took {slowest:?} to come back");
    drop((a2, b2, a, b));
}

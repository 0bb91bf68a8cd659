//! A rolling restart under 1,000 streams: two instances on PostgreSQL, the streams of one
//! person over both, a write every 20 ms throughout, and each instance in turn drained
//! (SIGTERM), replaced and waited for until `/api/ready`. The load generator rides it out as
//! browsers behind nginx do (`tests/common/failover.rs`). Reports the time until every stream
//! of a stopped instance is back, write latency during the restart (from first sending to
//! success, retries included), writes that never went in, and events lost or duplicated.

use super::failover::{follow, write_every, Balancer, Seen};
use super::*;

pub(crate) const ROLLING_STREAMS: usize = 1_000;
const ROLLING_WRITE_EVERY: Duration = Duration::from_millis(20);

/// An instance for this step: no per-person stream cap, no write allowance.
fn instance(binary: &str, url: &str) -> BenchResult<Server> {
    Server::start_with_args(binary, url, free_port()?, "0", &["--write-burst", "0"])
}

async fn wait_ready(base: &str) -> BenchResult<()> {
    let client = Client::new();
    for _ in 0..400 {
        let ready = client.get(format!("{base}/api/ready")).send().await;
        if let Ok(answer) = ready {
            if answer.text().await.is_ok_and(|text| text == "ready") {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err(format!("{base} did not become ready"))
}

/// Stops an instance as an orchestrator does (SIGTERM) and waits for it to exit; how long
/// its drain took.
async fn drain(server: &mut Server) -> BenchResult<Duration> {
    let started = Instant::now();
    // SAFETY: kill only sends a signal to the child we started.
    unsafe { libc::kill(server.pid() as i32, libc::SIGTERM) };
    loop {
        match server.child.try_wait() {
            Ok(Some(_)) => return Ok(started.elapsed()),
            Ok(None) if started.elapsed() < Duration::from_secs(30) => {
                tokio::time::sleep(Duration::from_millis(5)).await
            }
            Ok(None) => return Err("an instance did not stop within 30 s of SIGTERM".into()),
            Err(error) => return Err(error.to_string()),
        }
    }
}

pub(crate) async fn rolling_restart(binary: &str, admin: &str) -> BenchResult<Value> {
    let (url, name, mut connection) = fresh_postgres_database(admin).await?;
    let world = seed(&url).await?;
    let result = async {
        let mut first = instance(binary, &url)?;
        let mut second = instance(binary, &url)?;
        wait_ready(&first.base).await?;
        wait_ready(&second.base).await?;
        let balancer = Balancer::default();
        balancer.set(vec![first.base.clone(), second.base.clone()]);
        let coachee = sign_in(&first.base, "coachee0@bench.test").await?;
        let coach = sign_in(&first.base, "coach0@bench.test").await?;

        let stop_streams = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let opened = Arc::new(AtomicU64::new(0));
        let seen: Vec<Arc<std::sync::Mutex<Seen>>> = (0..ROLLING_STREAMS).map(|_| Arc::default()).collect();
        let streams: Vec<_> = seen
            .iter()
            .map(|seen| tokio::spawn(follow(coachee.clone(), balancer.clone(), seen.clone(), stop_streams.clone(), opened.clone())))
            .collect();
        let deadline = Instant::now() + PHASE_LIMIT;
        while opened.load(Ordering::Relaxed) < ROLLING_STREAMS as u64 {
            if Instant::now() > deadline {
                return Err(format!("only {} streams opened", opened.load(Ordering::Relaxed)));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let stop_writes = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = tokio::spawn(write_every(
            ROLLING_WRITE_EVERY,
            coach.clone(),
            balancer.clone(),
            vec![world.sessions[0].clone()],
            stop_writes.clone(),
        ));
        tokio::time::sleep(Duration::from_secs(1)).await;
        let restart_started = Instant::now();
        let mut drains = Vec::new();
        // The first instance out, drained, replaced; then the second.
        balancer.set(vec![second.base.clone()]);
        drains.push(drain(&mut first).await?);
        let replacement = instance(binary, &url)?;
        wait_ready(&replacement.base).await?;
        balancer.set(vec![replacement.base.clone(), second.base.clone()]);
        balancer.set(vec![replacement.base.clone()]);
        drains.push(drain(&mut second).await?);
        let second_replacement = instance(binary, &url)?;
        wait_ready(&second_replacement.base).await?;
        balancer.set(vec![replacement.base.clone(), second_replacement.base.clone()]);
        let restart_took = restart_started.elapsed();
        tokio::time::sleep(Duration::from_secs(1)).await;
        stop_writes.store(true, Ordering::Relaxed);
        let (mut took, failed) = writer.await.map_err(|e| e.to_string())?;
        let committed = took.len();
        let deadline = Instant::now() + PHASE_LIMIT;
        while seen.iter().any(|s| s.lock().map(|s| s.ids.len() < committed).unwrap_or(true)) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        stop_streams.store(true, Ordering::Relaxed);
        for stream in streams {
            let _ = stream.await;
        }
        let (mut lost, mut duplicated, mut back_ms) = (0usize, 0usize, Vec::new());
        for seen in &seen {
            let seen = seen.lock().map_err(|_| "a stream's record was poisoned")?;
            lost += committed.saturating_sub(seen.ids.len()) + seen.gaps;
            duplicated += seen.duplicates;
            back_ms.extend(seen.reconnects.iter().map(|d| d.as_secs_f64() * 1000.0));
        }
        back_ms.sort_by(f64::total_cmp);
        took.sort();
        let write_ms: Vec<f64> = took.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
        drop((replacement, second_replacement, first, second));
        let all_back_ms = back_ms.last().copied().unwrap_or(0.0);
        println!(
            "rolling restart of 2 instances under {ROLLING_STREAMS} streams, a write every {} ms: done in {:.1} s (drains {:?}); every stream back within {all_back_ms:.0} ms of its instance stopping (p95 {:.0} ms, {} reconnects); writes p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; {committed} writes, {failed} failed, {lost} events lost, {duplicated} duplicated",
            ROLLING_WRITE_EVERY.as_millis(),
            restart_took.as_secs_f64(),
            drains,
            percentile(&back_ms, 95.0),
            back_ms.len(),
            percentile(&write_ms, 50.0),
            percentile(&write_ms, 95.0),
            write_ms.last().copied().unwrap_or(0.0),
        );
        Ok(json!({
            "streams": ROLLING_STREAMS, "write_every_ms": ROLLING_WRITE_EVERY.as_millis() as u64,
            "restart_s": restart_took.as_secs_f64(),
            "drain_ms": drains.iter().map(|d| d.as_secs_f64() * 1000.0).collect::<Vec<_>>(),
            "all_back_ms": all_back_ms, "back_p95_ms": percentile(&back_ms, 95.0), "reconnects": back_ms.len(),
            "write_p50_ms": percentile(&write_ms, 50.0), "write_p95_ms": percentile(&write_ms, 95.0),
            "writes": committed, "failed_writes": failed, "lost": lost, "duplicated": duplicated,
        }))
    }
    .await;
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut connection).await;
    result
}

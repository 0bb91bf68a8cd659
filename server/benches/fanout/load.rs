//! The load: fan-out of every step (one instance, then two on PostgreSQL) and catch-up.

use super::*;

/// Up to 19,000: the machine's file limit is 20,000 per process.
pub(crate) const STEPS: [usize; 4] = [1_000, 5_000, 10_000, 19_000];
/// Streams of the cluster step, over both instances.
pub(crate) const CLUSTER_STREAMS: usize = 1_000;
pub(crate) const WRITES_PER_STEP: usize = 200;
pub(crate) const CATCHUP_CLIENTS: usize = 1_000;
pub(crate) const CATCHUP_WRITES: usize = 100;
pub(crate) const CATCHUP_ROUNDS: usize = 5;

/// Longest wait for any single phase: the run always ends.
pub(crate) const PHASE_LIMIT: Duration = Duration::from_secs(60);

pub(crate) struct Step {
    pub(crate) connections: usize,
    pub(crate) p50: f64,
    pub(crate) p95: f64,
    pub(crate) p99: f64,
    pub(crate) max: f64,
    pub(crate) lost: usize,
    pub(crate) rss_kib_per_idle_conn: f64,
    /// Server resident memory before the streams opened and with all of them idle.
    pub(crate) rss_mib: (f64, f64),
    pub(crate) cpu_us_per_event: f64,
}

/// Writes one agreement per relationship in turn; returns agreement id → (relationship, the
/// moment its write was sent).
pub(crate) async fn write_agreements(
    base: &str,
    writers: &[Client],
    world: &World,
    count: usize,
) -> BenchResult<HashMap<String, (usize, Instant)>> {
    let mut written = HashMap::new();
    for n in 0..count {
        let r = n % RELATIONSHIPS;
        let sent = Instant::now();
        let response = writers[r]
            .post(format!("{base}/api/agreements"))
            .header("x-version", API_VERSION)
            .json(&json!({"coaching_session_id": world.sessions[r], "body": format!("write {n}")}))
            .send()
            .await
            .map_err(|e| format!("write: {e}"))?;
        let body: Value = response.json().await.map_err(|e| format!("write answer: {e}"))?;
        let id = body["data"]["id"].as_str().ok_or("write answer without id")?.to_owned();
        written.insert(id, (r, sent));
    }
    Ok(written)
}

/// Streams go round the instances at `stream_bases`; writes and the memory reading go to
/// `server`.
pub(crate) async fn fanout_step(
    server: &Server,
    stream_bases: &[&str],
    clients: &[Client],
    writers: &[Client],
    world: &World,
    n: usize,
) -> BenchResult<Step> {
    let base = &server.base;
    let rss_before = server.rss_kib();
    let (tx, mut rx) = mpsc::unbounded_channel::<Arrival>();
    let mut per_relationship = vec![0usize; RELATIONSHIPS];
    let mut tasks = Vec::with_capacity(n);
    let started = Instant::now();
    for c in 0..n {
        let person = c % world.people.len();
        per_relationship[world.people[person].relationship] += 1;
        let stream_base = stream_bases[c % stream_bases.len()];
        let task = open_stream(&clients[person], format!("{stream_base}/api/sse"), None, tx.clone(), Arc::default());
        tasks.push(
            tokio::time::timeout(PHASE_LIMIT, task).await.map_err(|_| "opening streams timed out".to_string())??,
        );
        if started.elapsed() > PHASE_LIMIT * 3 {
            return Err("opening streams took too long".into());
        }
    }
    drop(tx);
    // Let the server settle with every connection idle, then read its memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after = server.rss_kib();
    let cpu_before = server.cpu_us();
    let written = write_agreements(base, writers, world, WRITES_PER_STEP).await?;
    let expected: usize = written.values().map(|(r, _)| per_relationship[*r]).sum();
    let mut latencies = Vec::with_capacity(expected);
    let deadline = Instant::now() + PHASE_LIMIT;
    while latencies.len() < expected && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some((agreement, at, _))) => {
                if let Some((_, sent)) = written.get(&agreement) {
                    latencies.push(at.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
                }
            }
            _ => break,
        }
    }
    let cpu_after = server.cpu_us();
    for task in tasks {
        task.abort();
    }
    latencies.sort_by(f64::total_cmp);
    let delivered = latencies.len();
    Ok(Step {
        connections: n,
        p50: percentile(&latencies, 50.0),
        p95: percentile(&latencies, 95.0),
        p99: percentile(&latencies, 99.0),
        max: latencies.last().copied().unwrap_or(0.0),
        lost: expected.saturating_sub(delivered),
        rss_kib_per_idle_conn: rss_after.saturating_sub(rss_before) as f64 / n as f64,
        rss_mib: (rss_before as f64 / 1024.0, rss_after as f64 / 1024.0),
        cpu_us_per_event: cpu_after.saturating_sub(cpu_before) as f64 / delivered.max(1) as f64,
    })
}

/// Two instances on a fresh PostgreSQL database: [`CLUSTER_STREAMS`] streams over both,
/// writes through the first.
/// A fresh database on the PostgreSQL server whose administrative URL is `admin`: its URL,
/// its name, and the administrative connection that drops it afterwards.
pub(crate) async fn fresh_postgres_database(admin: &str) -> BenchResult<(String, String, sqlx::PgConnection)> {
    use sqlx::Connection;
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let name = format!("tandem_bench_{}_{}", std::process::id(), COUNT.fetch_add(1, Ordering::Relaxed));
    let mut connection = sqlx::PgConnection::connect(admin).await.map_err(|e| e.to_string())?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut connection)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.map_err(|e| e.to_string())?;
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin, |(server, _)| server));
    Ok((url, name, connection))
}

pub(crate) async fn cluster_step(binary: &str, admin: &str) -> BenchResult<Value> {
    let (url, name, mut connection) = fresh_postgres_database(admin).await?;
    let world = seed(&url).await?;
    let first = Running::start(binary, &url, &world).await?;
    let port = free_port()?;
    let second = Server::start(binary, &url, port, "0")?;
    wait_healthy(&second.base).await?;
    let bases = [first.server.base.as_str(), second.base.as_str()];
    let step = fanout_step(&first.server, &bases, &first.clients, &first.writers, &world, CLUSTER_STREAMS).await;
    drop((first, second));
    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut connection).await;
    let step = step?;
    println!(
        "  cluster, {} streams on 2 instances, writes on one: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms, lost {}",
        step.connections, step.p50, step.p95, step.p99, step.max, step.lost
    );
    Ok(json!({
        "instances": 2, "connections": step.connections, "p50_ms": step.p50, "p95_ms": step.p95,
        "p99_ms": step.p99, "max_ms": step.max, "lost": step.lost,
    }))
}

/// Waits for `expected` arrivals of the `wanted` agreements; returns how many came.
pub(crate) async fn collect(
    rx: &mut mpsc::UnboundedReceiver<Arrival>,
    wanted: &HashMap<String, (usize, Instant)>,
    expected: usize,
) -> usize {
    let deadline = Instant::now() + PHASE_LIMIT;
    let mut received = 0;
    while received < expected && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some((agreement, _, _))) if wanted.contains_key(&agreement) => received += 1,
            Ok(Some(_)) => {}
            _ => break,
        }
    }
    received
}

/// One catch-up: clients connect, receive one event each, go away; writes happen; they come
/// back with their last id. Returns the time until all held every missed event, and how
/// many events did not arrive.
pub(crate) async fn catchup_round(
    server: &Server,
    clients: &[Client],
    writers: &[Client],
    world: &World,
) -> BenchResult<(f64, usize)> {
    let base = &server.base;
    let mut owners = Vec::with_capacity(CATCHUP_CLIENTS);
    let mut per_relationship = vec![0usize; RELATIONSHIPS];
    let (tx, mut rx) = mpsc::unbounded_channel::<Arrival>();
    let mut tasks = Vec::new();
    let mut last_seen = Vec::new();
    for c in 0..CATCHUP_CLIENTS {
        let person = c % world.people.len();
        per_relationship[world.people[person].relationship] += 1;
        owners.push(person);
        let seen = Arc::new(AtomicU64::new(0));
        tasks.push(open_stream(&clients[person], format!("{base}/api/sse"), None, tx.clone(), seen.clone()).await?);
        last_seen.push(seen);
    }
    // One event for everyone, so every client holds a last id; then they all go away.
    let warm = write_agreements(base, writers, world, RELATIONSHIPS).await?;
    let expected_warm: usize = warm.values().map(|(r, _)| per_relationship[*r]).sum();
    if collect(&mut rx, &warm, expected_warm).await < expected_warm {
        return Err("the warm-up events did not all arrive".into());
    }
    for task in tasks {
        task.abort();
    }
    drop((tx, rx));

    let missed = write_agreements(base, writers, world, CATCHUP_WRITES).await?;
    let expected: usize = missed.values().map(|(r, _)| per_relationship[*r]).sum();
    let (tx, mut rx) = mpsc::unbounded_channel::<Arrival>();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, person) in owners.iter().enumerate() {
        let last = last_seen[c].load(Ordering::Relaxed);
        tasks.push(
            open_stream(&clients[*person], format!("{base}/api/sse"), Some(last), tx.clone(), Arc::default()).await?,
        );
    }
    drop(tx);
    let received = collect(&mut rx, &missed, expected).await;
    let all_caught_up_ms = started.elapsed().as_secs_f64() * 1000.0;
    for task in tasks {
        task.abort();
    }
    Ok((all_caught_up_ms, expected - received))
}

/// [`CATCHUP_ROUNDS`] catch-ups in a row; `all_caught_up_ms` is their median.
pub(crate) async fn catchup(
    server: &Server,
    clients: &[Client],
    writers: &[Client],
    world: &World,
) -> BenchResult<Value> {
    let mut times = Vec::with_capacity(CATCHUP_ROUNDS);
    let mut lost = 0;
    for _ in 0..CATCHUP_ROUNDS {
        let (ms, round_lost) = catchup_round(server, clients, writers, world).await?;
        times.push(ms);
        lost += round_lost;
    }
    times.sort_by(f64::total_cmp);
    let (p50, p95, max) = (percentile(&times, 50.0), percentile(&times, 95.0), times.last().copied().unwrap_or(0.0));
    println!(
        "catch-up: {CATCHUP_CLIENTS} clients, {CATCHUP_WRITES} writes while away, {CATCHUP_ROUNDS} rounds: all caught up in {p50:.1} ms (median; p95 {p95:.1}, max {max:.1}), lost {lost}"
    );
    Ok(json!({
        "clients": CATCHUP_CLIENTS, "writes": CATCHUP_WRITES, "rounds": CATCHUP_ROUNDS,
        "all_caught_up_ms": p50, "p95_ms": p95, "max_ms": max, "lost": lost,
    }))
}

/// Rounds of the metrics comparison; each round runs both servers once, in turn.
const METRICS_ROUNDS: usize = 3;

/// What keeping metrics costs fan-out: the 1,000-stream step on a server without
/// `--metrics-bind` and on one with it, alternating over a few rounds on fresh servers.
pub(crate) async fn metrics_cost(binary: &str, url: &str, world: &World) -> BenchResult<Value> {
    let metrics_port = free_port()?;
    let bind = format!("127.0.0.1:{metrics_port}");
    let (mut without, mut with) = (Vec::new(), Vec::new());
    for _ in 0..METRICS_ROUNDS {
        for metrics in [false, true] {
            let extra: Vec<&str> = if metrics { vec!["--metrics-bind", bind.as_str()] } else { Vec::new() };
            let running = Running::start_with_args(binary, url, world, "0", &extra).await?;
            let bases = [running.server.base.as_str()];
            let step = fanout_step(&running.server, &bases, &running.clients, &running.writers, world, 1_000).await?;
            if step.lost > 0 {
                return Err(format!("{} events lost with metrics {metrics}", step.lost));
            }
            if metrics { &mut with } else { &mut without }.push(step.p95);
        }
    }
    let median = |values: &mut Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let (off, on) = (median(&mut without), median(&mut with));
    let change = if off > 0.0 { (on - off) / off * 100.0 } else { 0.0 };
    println!("metrics: fan-out p95 at 1,000 streams {off:.2} ms without --metrics-bind, {on:.2} ms with ({change:+.1} %; medians of {METRICS_ROUNDS} rounds)");
    Ok(json!({ "rounds": METRICS_ROUNDS, "p95_without_ms": off, "p95_with_ms": on, "change_percent": change }))
}

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
//! With a PostgreSQL server (TANDEM_TEST_POSTGRES, as `make bench` provides it), the cluster
//! step runs two instances on one database: 1 000 streams over both, writes through one.
//!
//! With `PEER=http://host:port` (and `PEER_COACH`, `PEER_COACHEE`, `PEER_PASSWORD`,
//! `PEER_SESSION`: two people of one coaching session on that server), the peer step points
//! the same load generator at any server that speaks the contract (the reference backend,
//! say) and at Tandem, in the same shape: `PEER_STREAMS` (100) streams of the coachee, and
//! the coach writes `PEER_WRITES` (80) agreements, each timed from its sending to its arrival
//! on every stream. Both go side by side in the report.
//!
//! Everything stays on 127.0.0.1 (but a peer), every loop is bounded, and the run stops by
//! itself.

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

const PASSWORD: &str = "bench-password";
const RELATIONSHIPS: usize = 100;
/// Up to 19,000: the machine's file limit is 20,000 per process.
const STEPS: [usize; 4] = [1_000, 5_000, 10_000, 19_000];
/// Streams of the cluster step, over both instances.
const CLUSTER_STREAMS: usize = 1_000;
const WRITES_PER_STEP: usize = 200;
const CATCHUP_CLIENTS: usize = 1_000;
const CATCHUP_WRITES: usize = 100;
const CATCHUP_ROUNDS: usize = 5;
const ATTACK_IDLE_CONNECTIONS: usize = 2_000;
const ATTACK_FAILED_LOGINS: usize = 200;
const ATTACK_SAMPLES: usize = 400;
/// Notes updates nested 20,000 levels deep (each once aborted the whole process).
const ATTACK_DEEP_UPDATES: usize = 200;
/// Sign-ins of one account, each opening a stream when it gets in.
const ATTACK_ACCOUNT_SIGN_INS: usize = 500;
/// Connections holding a 15 KiB head that never ends.
const ATTACK_UNFINISHED_HEADS: usize = 1_000;
/// Longest wait for any single phase: the run always ends.
const PHASE_LIMIT: Duration = Duration::from_secs(60);

type BenchResult<T> = Result<T, String>;

fn raise_fd_limit() -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct we pass.
    unsafe {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
        limit.rlim_cur
    }
}

struct Person {
    email: String,
    relationship: usize,
}

struct World {
    people: Vec<Person>,
    /// Per relationship: its id and one session to write into.
    sessions: Vec<String>,
}

async fn seed(url: &str) -> BenchResult<World> {
    let state = tandem_server::build_state(tandem_server::Config::for_tests(url)).await.map_err(|e| e.to_string())?;
    tandem_server::on_engine!(state, engine, state => {
        use engine::db::{coaching_sessions, organizations, relationships, users};
        let pool = state.db.clone();
        let now = Utc::now();
        let hash = password::hash(PASSWORD).map_err(|e| e.to_string())?;
        let org = organizations::insert(&pool, "Bench", "bench", now).await.map_err(|e| e.to_string())?;
        let mut people = Vec::new();
        let mut sessions = Vec::new();
        for r in 0..RELATIONSHIPS {
            let mut ids = Vec::new();
            for side in ["coach", "coachee"] {
                let email = format!("{side}{r}@bench.test");
                let new = users::NewUser {
                    email: &email,
                    first_name: side,
                    last_name: "Bench",
                    display_name: None,
                    timezone: "UTC",
                    password_hash: &hash,
                };
                let id = users::insert(&pool, &new, now).await.map_err(|e| e.to_string())?;
                users::grant_role(&pool, id, Role::User, Some(org), now).await.map_err(|e| e.to_string())?;
                organizations::add_member(&pool, org, id, now).await.map_err(|e| e.to_string())?;
                ids.push(id);
                people.push(Person { email, relationship: r });
            }
            let rel = relationships::insert(&pool, org, ids[0], ids[1], now).await.map_err(|e| e.to_string())?;
            let fields = coaching_sessions::SessionFields {
                date: now.naive_utc(),
                duration_minutes: 60,
                title: Some("Bench"),
                meeting_url: None,
                provider: None,
            };
            let session = coaching_sessions::insert(&pool, rel, &fields, now).await.map_err(|e| e.to_string())?;
            sessions.push(session.to_string());
        }
        pool.close().await;
        Ok(World { people, sessions })
    })
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// `streams_per_person`: "0" for the load generator, which holds up to 50 streams per
    /// person as no browser does; the server's own default under attack.
    fn start(binary: &str, url: &str, port: u16, streams_per_person: &str) -> BenchResult<Server> {
        let child = Command::new(binary)
            .args(["--port", &port.to_string(), "--database-url", url, "--demo", "false", "--log-level", "error"])
            // Everything comes from one address.
            .args(["--sse-streams-per-person", streams_per_person, "--connections-per-address-percent", "100"])
            // It signs in every bench person from one address within a minute.
            .args(["--sign-ins-per-address", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {binary}: {e}"))?;
        Ok(Server { child, base: format!("http://127.0.0.1:{port}") })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// User + system CPU time in microseconds.
    fn cpu_us(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
        let fields: Vec<&str> = after_name.split_whitespace().collect();
        // Fields 14 and 15 of the file are the 12th and 13th after the name.
        let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
            + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
        // SAFETY: sysconf has no preconditions.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        ticks * 1_000_000 / per_second
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server that is up, with every person signed in.
struct Running {
    server: Server,
    /// One signed-in client per person, for the streams.
    clients: Vec<Client>,
    /// One more login per coach, so writes do not queue behind streams.
    writers: Vec<Client>,
}

impl Running {
    async fn start(binary: &str, url: &str, world: &World) -> BenchResult<Running> {
        Self::start_with(binary, url, world, "0").await
    }

    async fn start_with(binary: &str, url: &str, world: &World, streams_per_person: &str) -> BenchResult<Running> {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
            listener.local_addr().map_err(|e| e.to_string())?.port()
        };
        let server = Server::start(binary, url, port, streams_per_person)?;
        wait_healthy(&server.base).await?;
        let mut clients = Vec::new();
        for person in &world.people {
            clients.push(sign_in(&server.base, &person.email).await?);
        }
        let mut writers = Vec::new();
        for r in 0..RELATIONSHIPS {
            writers.push(sign_in(&server.base, &format!("coach{r}@bench.test")).await?);
        }
        Ok(Running { server, clients, writers })
    }
}

async fn wait_healthy(base: &str) -> BenchResult<()> {
    let client = Client::new();
    for _ in 0..400 {
        if client.get(format!("{base}/api/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err("the server did not become healthy".into())
}

async fn sign_in(base: &str, email: &str) -> BenchResult<Client> {
    sign_in_with(base, email, PASSWORD).await
}

async fn sign_in_with(base: &str, email: &str, password: &str) -> BenchResult<Client> {
    let client = Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().map_err(|e| e.to_string())?;
    let response = client
        .post(format!("{base}/api/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("login of {email} failed: {}", response.status()));
    }
    Ok(client)
}

/// An arrival: which agreement, when, and the event id.
type Arrival = (String, Instant, u64);

/// Opens one stream and forwards every `agreement_created` to `arrivals`; returns once the
/// stream is open. The task ends when the stream does or when `stop` is dropped.
async fn open_stream(
    client: &Client,
    url: String,
    last_event_id: Option<u64>,
    arrivals: mpsc::UnboundedSender<Arrival>,
    last_seen: Arc<AtomicU64>,
) -> BenchResult<tokio::task::JoinHandle<()>> {
    let mut request = client.get(url);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let response = request.send().await.map_err(|e| format!("stream: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("stream refused: {}", response.status()));
    }
    Ok(tokio::spawn(async move {
        let mut body = response.bytes_stream();
        let mut buffer = String::new();
        while let Some(Ok(chunk)) = body.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let frame: String = buffer.drain(..end + 2).collect();
                if !frame.contains("event: agreement_created") {
                    continue;
                }
                let at = Instant::now();
                let mut id = 0;
                let mut agreement = String::new();
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        id = v.trim().parse().unwrap_or(0);
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        let data: Value = serde_json::from_str(v).unwrap_or(Value::Null);
                        agreement = data["data"]["agreement"]["id"].as_str().unwrap_or("").to_owned();
                    }
                }
                last_seen.store(id, Ordering::Relaxed);
                if arrivals.send((agreement, at, id)).is_err() {
                    return;
                }
            }
        }
    }))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((p / 100.0) * (sorted.len() - 1) as f64).round() as usize]
}

struct Step {
    connections: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    lost: usize,
    rss_kib_per_idle_conn: f64,
    /// Server resident memory before the streams opened and with all of them idle.
    rss_mib: (f64, f64),
    cpu_us_per_event: f64,
}

/// Writes one agreement per relationship in turn; returns agreement id → (relationship, the
/// moment its write was sent).
async fn write_agreements(
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
async fn fanout_step(
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
async fn cluster_step(binary: &str, admin: &str) -> BenchResult<Value> {
    use sqlx::Connection;
    let name = format!("tandem_bench_{}", std::process::id());
    let mut connection = sqlx::PgConnection::connect(admin).await.map_err(|e| e.to_string())?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut connection)
        .await
        .map_err(|e| e.to_string())?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.map_err(|e| e.to_string())?;
    let url = format!("{}/{name}", admin.rsplit_once('/').map_or(admin, |(server, _)| server));
    let world = seed(&url).await?;
    let first = Running::start(binary, &url, &world).await?;
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        listener.local_addr().map_err(|e| e.to_string())?.port()
    };
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

/// A server to compare with, from the environment (`PEER`, …).
struct Peer {
    base: String,
    coach: String,
    coachee: String,
    password: String,
    session: String,
}

impl Peer {
    fn from_env() -> BenchResult<Option<Peer>> {
        let Ok(base) = std::env::var("PEER") else { return Ok(None) };
        let var = |name: &str| std::env::var(name).map_err(|_| format!("PEER is set but {name} is not"));
        Ok(Some(Peer {
            base: base.trim_end_matches('/').to_owned(),
            coach: var("PEER_COACH")?,
            coachee: var("PEER_COACHEE")?,
            password: var("PEER_PASSWORD")?,
            session: var("PEER_SESSION")?,
        }))
    }
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One server in the peer shape: `streams` streams of the coachee, each signed in on its
/// own (as many browsers would be), the coach's `writes` agreements one after another, each
/// timed from its sending to its arrival on each stream.
async fn peer_shape(base: &str, coach: &Client, coachee: (&str, &str), session: &str) -> BenchResult<Value> {
    let (streams, writes) = (env_count("PEER_STREAMS", 100), env_count("PEER_WRITES", 80));
    let (tx, mut rx) = mpsc::unbounded_channel::<Arrival>();
    let mut tasks = Vec::with_capacity(streams);
    for _ in 0..streams {
        let browser = sign_in_with(base, coachee.0, coachee.1).await?;
        tasks.push(open_stream(&browser, format!("{base}/api/sse"), None, tx.clone(), Arc::default()).await?);
    }
    drop(tx);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut sent_at = HashMap::new();
    let mut refused = 0;
    for n in 0..writes {
        let sent = Instant::now();
        let response = coach
            .post(format!("{base}/api/agreements"))
            .header("x-version", API_VERSION)
            .json(&json!({"coaching_session_id": session, "body": format!("peer bench {n}")}))
            .send()
            .await
            .map_err(|e| format!("write: {e}"))?;
        if !response.status().is_success() {
            refused += 1;
            continue;
        }
        let body: Value = response.json().await.map_err(|e| format!("write answer: {e}"))?;
        if let Some(id) = body["data"]["id"].as_str() {
            sent_at.insert(id.to_owned(), sent);
        }
    }
    let expected = sent_at.len() * streams;
    let mut latencies = Vec::with_capacity(expected);
    let deadline = Instant::now() + PHASE_LIMIT;
    while latencies.len() < expected && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some((agreement, at, _))) => {
                if let Some(sent) = sent_at.get(&agreement) {
                    latencies.push(at.saturating_duration_since(*sent).as_secs_f64() * 1000.0);
                }
            }
            _ => break,
        }
    }
    for task in tasks {
        task.abort();
    }
    latencies.sort_by(f64::total_cmp);
    Ok(json!({
        "streams": streams, "writes": writes, "writes_refused": refused,
        "p50_ms": percentile(&latencies, 50.0), "p95_ms": percentile(&latencies, 95.0),
        "p99_ms": percentile(&latencies, 99.0), "max_ms": latencies.last().copied().unwrap_or(0.0),
        "lost": expected.saturating_sub(latencies.len()),
    }))
}

/// The peer and Tandem, side by side, in the same shape.
async fn peer_step(peer: &Peer, binary: &str, url: &str, world: &World) -> BenchResult<Value> {
    let coach = sign_in_with(&peer.base, &peer.coach, &peer.password).await?;
    let theirs = peer_shape(&peer.base, &coach, (&peer.coachee, &peer.password), &peer.session).await?;
    let tandem = Running::start(binary, url, world).await?;
    // Relationship 0: its coach and coachee, and its session.
    let coachee = (world.people[1].email.as_str(), PASSWORD);
    let ours = peer_shape(&tandem.server.base, &tandem.writers[0], coachee, &world.sessions[0]).await?;
    for (who, result) in [("peer", &theirs), ("tandem", &ours)] {
        println!(
            "  {who:>6}: {} streams, {} writes: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms, lost {}",
            result["streams"],
            result["writes"],
            result["p50_ms"].as_f64().unwrap_or(0.0),
            result["p95_ms"].as_f64().unwrap_or(0.0),
            result["max_ms"].as_f64().unwrap_or(0.0),
            result["lost"]
        );
    }
    Ok(json!({"peer": {"base": peer.base, "result": theirs}, "tandem": ours}))
}

/// Waits for `expected` arrivals of the `wanted` agreements; returns how many came.
async fn collect(
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
async fn catchup_round(
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
async fn catchup(server: &Server, clients: &[Client], writers: &[Client], world: &World) -> BenchResult<Value> {
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

/// Times `samples` ordinary signed-in requests one after another; (sorted ms, errors).
async fn ordinary_requests(server: &Server, client: &Client, world: &World, samples: usize) -> (Vec<f64>, usize) {
    let url = format!("{}/api/agreements?coaching_session_id={}", server.base, world.sessions[0]);
    let mut times = Vec::with_capacity(samples);
    let mut errors = 0;
    for _ in 0..samples {
        let started = Instant::now();
        let answer =
            tokio::time::timeout(Duration::from_secs(10), client.get(&url).header("x-version", API_VERSION).send())
                .await;
        let ok = match answer {
            Ok(Ok(response)) => response.status().is_success() && response.bytes().await.is_ok(),
            _ => false,
        };
        if ok {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        } else {
            errors += 1;
        }
    }
    times.sort_by(f64::total_cmp);
    (times, errors)
}

/// Keeps `count` connections open that never send a byte, reopening those the server
/// closes, until `stop` flips.
async fn idle_flood(address: String, count: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> usize {
    let opened = Arc::new(AtomicU64::new(0));
    let holders: Vec<_> = (0..count)
        .map(|_| {
            let (address, stop, opened) = (address.clone(), stop.clone(), opened.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut tcp) = tokio::net::TcpStream::connect(&address).await else {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    };
                    opened.fetch_add(1, Ordering::Relaxed);
                    let mut byte = [0u8; 1];
                    // Returns when the server closes it (or every second, to look at `stop`).
                    while !stop.load(Ordering::Relaxed) {
                        use tokio::io::AsyncReadExt;
                        match tokio::time::timeout(Duration::from_secs(1), tcp.read(&mut byte)).await {
                            Err(_) => continue,
                            Ok(_) => break,
                        }
                    }
                }
            })
        })
        .collect();
    for holder in holders {
        let _ = holder.await;
    }
    opened.load(Ordering::Relaxed) as usize
}

/// Sends `count` notes updates nested 20,000 levels deep; their statuses.
async fn deep_updates(client: Client, base: String, session: String, count: usize) -> Vec<u16> {
    use base64::Engine;
    let mut update = b"\x01\x01\x2a\x00\x08\x01\x04deep\x01".to_vec();
    for _ in 0..20_000 {
        update.extend_from_slice(b"\x75\x01");
    }
    update.extend_from_slice(b"\x7e\x00");
    let body = json!({ "update": base64::engine::general_purpose::STANDARD.encode(&update) });
    let url = format!("{base}/api/coaching_sessions/{session}/notes/document");
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        let answer = client.post(&url).header("x-version", API_VERSION).json(&body).send().await;
        statuses.push(answer.map_or(0, |r| r.status().as_u16()));
    }
    statuses
}

/// Signs one account in `count` times, opening a stream on each sign-in that gets in;
/// the statuses of the sign-ins and the streams still open at the end.
async fn account_flood(base: String, email: String, count: usize) -> (Vec<u16>, usize) {
    let mut statuses = Vec::with_capacity(count);
    let mut streams = Vec::new();
    for _ in 0..count {
        let Ok(client) = Client::builder().cookie_store(true).build() else { continue };
        let form = [("email", email.as_str()), ("password", PASSWORD)];
        let status =
            client.post(format!("{base}/api/login")).form(&form).send().await.map_or(0, |r| r.status().as_u16());
        statuses.push(status);
        if status == 200 {
            if let Ok(response) = client.get(format!("{base}/api/sse")).send().await {
                streams.push(response.bytes_stream());
            }
        }
    }
    // A stream the server closed ends at once; count those still open.
    let mut open = 0;
    for mut stream in streams {
        let ended = async { while let Some(Ok(_)) = stream.next().await {} };
        if tokio::time::timeout(Duration::from_millis(200), ended).await.is_err() {
            open += 1;
        }
    }
    (statuses, open)
}

/// Holds `count` connections that sent 15 KiB of a head that never ends, until `stop`.
async fn unfinished_heads(address: String, count: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> usize {
    use tokio::io::AsyncWriteExt;
    let mut held = Vec::with_capacity(count);
    let padding = vec![b'a'; 15 * 1024];
    for _ in 0..count {
        let Ok(mut tcp) = tokio::net::TcpStream::connect(&address).await else { continue };
        let _ = tcp.write_all(b"GET /api/health HTTP/1.1\r\nHost: bench\r\nX-Padding: ").await;
        if tcp.write_all(&padding).await.is_ok() {
            held.push(tcp);
        }
    }
    let opened = held.len();
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    opened
}

/// The ordinary request's p95, quiet and under attack.
async fn under_attack(server: &Server, client: &Client, world: &World) -> BenchResult<Value> {
    // Warm up the connection path and the database pool before measuring.
    ordinary_requests(server, client, world, 50).await;
    let (quiet, quiet_errors) = ordinary_requests(server, client, world, ATTACK_SAMPLES).await;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let address = server.base.trim_start_matches("http://").to_owned();
    let flood = tokio::spawn(idle_flood(address, ATTACK_IDLE_CONNECTIONS, stop.clone()));
    let base = server.base.clone();
    let logins = tokio::spawn(async move {
        let guesser = Client::builder().build().map_err(|e| e.to_string())?;
        let statuses: Vec<u16> = futures_util::stream::iter(0..ATTACK_FAILED_LOGINS)
            .map(|n| {
                let (guesser, base) = (guesser.clone(), base.clone());
                async move {
                    let form = [("email", "coach0@bench.test".to_owned()), ("password", format!("guess-{n}"))];
                    guesser
                        .post(format!("{base}/api/login"))
                        .form(&form)
                        .send()
                        .await
                        .map_or(0, |r| r.status().as_u16())
                }
            })
            .buffer_unordered(20)
            .collect()
            .await;
        BenchResult::Ok(statuses)
    });
    let deep =
        tokio::spawn(deep_updates(client.clone(), server.base.clone(), world.sessions[0].clone(), ATTACK_DEEP_UPDATES));
    let account =
        tokio::spawn(account_flood(server.base.clone(), world.people[1].email.clone(), ATTACK_ACCOUNT_SIGN_INS));
    let heads = tokio::spawn(unfinished_heads(
        server.base.trim_start_matches("http://").to_owned(),
        ATTACK_UNFINISHED_HEADS,
        stop.clone(),
    ));
    // Let the idle connections pile up before sampling.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_under_attack = server.rss_kib();
    let (attacked, attacked_errors) = ordinary_requests(server, client, world, ATTACK_SAMPLES).await;
    let statuses = logins.await.map_err(|e| e.to_string())??;
    let deep = deep.await.map_err(|e| e.to_string())?;
    let (account_statuses, account_streams) = account.await.map_err(|e| e.to_string())?;
    stop.store(true, Ordering::Relaxed);
    let idle_opened = flood.await.map_err(|e| e.to_string())?;
    let heads_held = heads.await.map_err(|e| e.to_string())?;
    let alive =
        Client::new().get(format!("{}/api/health", server.base)).send().await.is_ok_and(|r| r.status().is_success());
    let deep_422 = deep.iter().filter(|s| **s == 422).count();
    let account_in = account_statuses.iter().filter(|s| **s == 200).count();
    let account_429 = account_statuses.iter().filter(|s| **s == 429).count();
    let count = |code: u16| statuses.iter().filter(|s| **s == code).count();
    let (quiet_p95, attacked_p95) = (percentile(&quiet, 95.0), percentile(&attacked, 95.0));
    println!(
        "under attack: ordinary request p95 {quiet_p95:.2} ms quiet, {attacked_p95:.2} ms under attack ({:.2}x), errors {}; failed sign-ins {} x 401, {} x 429; {idle_opened} idle connections opened",
        attacked_p95 / quiet_p95.max(1e-9),
        quiet_errors + attacked_errors,
        count(401),
        count(429)
    );
    println!(
        "under attack: {deep_422}/{ATTACK_DEEP_UPDATES} deep updates 422; one account: {account_in} sign-ins in, {account_429} x 429 of {ATTACK_ACCOUNT_SIGN_INS}, {account_streams} streams left open; {heads_held} unfinished heads held; server {}",
        if alive { "up" } else { "DOWN" }
    );
    Ok(json!({
        "samples": ATTACK_SAMPLES,
        "quiet_p50_ms": percentile(&quiet, 50.0), "quiet_p95_ms": quiet_p95,
        "attack_p50_ms": percentile(&attacked, 50.0), "attack_p95_ms": attacked_p95,
        "ratio": attacked_p95 / quiet_p95.max(1e-9),
        "errors": quiet_errors + attacked_errors,
        "failed_logins": ATTACK_FAILED_LOGINS, "logins_401": count(401), "logins_429": count(429),
        "logins_other": statuses.len() - count(401) - count(429),
        "idle_connections": ATTACK_IDLE_CONNECTIONS, "idle_connections_opened": idle_opened,
        "server_rss_mib_under_attack": rss_under_attack as f64 / 1024.0,
        "deep_updates": ATTACK_DEEP_UPDATES, "deep_updates_422": deep_422,
        "account_sign_ins": ATTACK_ACCOUNT_SIGN_INS, "account_sign_ins_200": account_in,
        "account_sign_ins_429": account_429, "account_streams_open": account_streams,
        "unfinished_heads": ATTACK_UNFINISHED_HEADS, "unfinished_heads_held": heads_held,
        "server_up_after": alive,
    }))
}

#[tokio::main]
async fn main() {
    if let Err(error) = run().await {
        eprintln!("bench failed: {error}");
        std::process::exit(1);
    }
}

async fn run() -> BenchResult<()> {
    let fd_limit = raise_fd_limit();
    // Cargo runs benches from the package folder; paths are taken from the workspace root.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let binary = std::env::var("TANDEM_SERVER_BIN")
        .unwrap_or_else(|_| root.join("target/release/tandem-server").display().to_string());
    let dir = std::env::temp_dir().join(format!("tandem-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let url = format!("sqlite://{}/tandem.db", dir.display());
    let world = seed(&url).await?;
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
    let peer = match Peer::from_env()? {
        Some(peer) => {
            println!("side by side with {}:", peer.base);
            peer_step(&peer, &binary, &url, &world).await.unwrap_or_else(|e| json!({"error": e}))
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
    let report = json!({
        "fanout": steps.iter().map(|s| json!({
            "connections": s.connections, "p50_ms": s.p50, "p95_ms": s.p95, "p99_ms": s.p99, "max_ms": s.max,
            "lost": s.lost, "rss_kib_per_idle_conn": s.rss_kib_per_idle_conn,
            "rss_mib_before": s.rss_mib.0, "rss_mib_after": s.rss_mib.1, "cpu_us_per_event": s.cpu_us_per_event,
        })).collect::<Vec<_>>(),
        "fanout_stopped": stopped,
        "cluster": cluster,
        "peer": peer,
        "catchup": catchup,
        "under_attack": attack,
    });
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("fanout.json"), serde_json::to_string_pretty(&report).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

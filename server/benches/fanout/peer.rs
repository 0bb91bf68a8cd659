//! The peer step: the same load against any server that speaks the contract.

use super::*;

/// A server to compare with, from the environment (`PEER`, …).
pub(crate) struct Peer {
    /// Its API base as given: the reference backend serves its routes at the root
    /// (`http://host:port`), Tandem under `/api` (`http://host:port/api`).
    pub(crate) api: String,
    pub(crate) coach: String,
    pub(crate) coachee: String,
    pub(crate) password: String,
    pub(crate) session: String,
}

impl Peer {
    pub(crate) fn from_env() -> BenchResult<Option<Peer>> {
        let Ok(base) = std::env::var("PEER") else { return Ok(None) };
        let var = |name: &str| std::env::var(name).map_err(|_| format!("PEER is set but {name} is not"));
        Ok(Some(Peer {
            api: base.trim_end_matches('/').to_owned(),
            coach: var("PEER_COACH")?,
            coachee: var("PEER_COACHEE")?,
            password: var("PEER_PASSWORD")?,
            session: var("PEER_SESSION")?,
        }))
    }
}

pub(crate) fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One server, by its API base, in the peer shape: `streams` streams of the coachee, each
/// signed in on its own (as many browsers would be), the coach's `writes` agreements one
/// after another, each timed from its sending to its arrival on each stream.
pub(crate) async fn peer_shape(api: &str, coach: &Client, coachee: (&str, &str), session: &str) -> BenchResult<Value> {
    let (streams, writes) = (env_count("PEER_STREAMS", 100), env_count("PEER_WRITES", 80));
    let (tx, mut rx) = mpsc::unbounded_channel::<Arrival>();
    let mut tasks = Vec::with_capacity(streams);
    for _ in 0..streams {
        let browser = sign_in_at(api, coachee.0, coachee.1).await?;
        tasks.push(open_stream(&browser, format!("{api}/sse"), None, tx.clone(), Arc::default()).await?);
    }
    drop(tx);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut sent_at = HashMap::new();
    let mut refused = 0;
    for n in 0..writes {
        let sent = Instant::now();
        let response = coach
            .post(format!("{api}/agreements"))
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
pub(crate) async fn peer_step(peer: &Peer, binary: &str, url: &str, world: &World) -> BenchResult<Value> {
    let coach = sign_in_at(&peer.api, &peer.coach, &peer.password).await.map_err(|e| format!("peer: {e}"))?;
    let theirs = peer_shape(&peer.api, &coach, (&peer.coachee, &peer.password), &peer.session)
        .await
        .map_err(|e| format!("peer: {e}"))?;
    let tandem = Running::start(binary, url, world).await?;
    // Relationship 0: its coach and coachee, and its session.
    let coachee = (world.people[1].email.as_str(), PASSWORD);
    let ours = peer_shape(&format!("{}/api", tandem.server.base), &tandem.writers[0], coachee, &world.sessions[0])
        .await
        .map_err(|e| format!("tandem: {e}"))?;
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
    Ok(json!({"peer": {"api": peer.api, "result": theirs}, "tandem": ours}))
}

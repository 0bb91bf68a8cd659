//! Under attack: the ordinary request's p95, quiet and while hostile clients hit the server.

use super::*;

pub(crate) const ATTACK_IDLE_CONNECTIONS: usize = 2_000;
pub(crate) const ATTACK_FAILED_LOGINS: usize = 200;
pub(crate) const ATTACK_SAMPLES: usize = 400;
/// Notes updates nested 20,000 levels deep (each once aborted the whole process).
pub(crate) const ATTACK_DEEP_UPDATES: usize = 200;
/// Sign-ins of one account, each opening a stream when it gets in.
pub(crate) const ATTACK_ACCOUNT_SIGN_INS: usize = 500;
/// Connections holding a 15 KiB head that never ends.
pub(crate) const ATTACK_UNFINISHED_HEADS: usize = 1_000;

/// Times `samples` ordinary signed-in requests one after another; (sorted ms, errors).
pub(crate) async fn ordinary_requests(
    server: &Server,
    client: &Client,
    world: &World,
    samples: usize,
) -> (Vec<f64>, usize) {
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
pub(crate) async fn idle_flood(address: String, count: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> usize {
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
pub(crate) async fn deep_updates(client: Client, base: String, session: String, count: usize) -> Vec<u16> {
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
pub(crate) async fn account_flood(base: String, email: String, count: usize) -> (Vec<u16>, usize) {
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
pub(crate) async fn unfinished_heads(address: String, count: usize, stop: Arc<std::sync::atomic::AtomicBool>) -> usize {
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
pub(crate) async fn under_attack(server: &Server, client: &Client, world: &World) -> BenchResult<Value> {
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

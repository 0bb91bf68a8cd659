//! A request that queues a mail while the mail server is stalled, against one that sends
//! none: a password-reset request for a person (queues a mail) and for an unknown address
//! (queues nothing), each timed from its sending to its answer, while the server's SMTP
//! server accepts connections and then never says a word.

use super::*;

/// Requests timed of each kind.
pub(crate) const MAIL_SAMPLES: usize = 200;

/// Accepts connections and holds them without a byte: an SMTP server that hangs.
async fn stalled_smtp_server() -> BenchResult<(u16, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let holding = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    Ok((port, holding))
}

/// Times `MAIL_SAMPLES` reset requests for `email`, one after another; sorted ms.
async fn time_requests(base: &str, email: &str) -> BenchResult<Vec<f64>> {
    let client = Client::new();
    let url = format!("{base}/api/password-reset/request");
    let mut times = Vec::with_capacity(MAIL_SAMPLES);
    for _ in 0..MAIL_SAMPLES {
        let started = Instant::now();
        let answer = client.post(&url).json(&json!({ "email": email })).send().await.map_err(|e| e.to_string())?;
        if !answer.status().is_success() {
            return Err(format!("a reset request answered {}", answer.status()));
        }
        answer.bytes().await.map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// The mail-queue figures: p50 and p95 of each kind, and how many mails wait unsent.
pub(crate) async fn mail_queue(binary: &str, url: &str, world: &World) -> BenchResult<Value> {
    let (smtp_port, holding) = stalled_smtp_server().await?;
    let port = free_port()?;
    let smtp = format!("smtp://127.0.0.1:{smtp_port}");
    let extra =
        ["--smtp-url", smtp.as_str(), "--password-resets-per-address", "0", "--password-resets-per-account", "100000"];
    let server = Server::start_with_args(binary, url, port, "0", &extra)?;
    wait_healthy(&server.base).await?;
    let person = &world.people[0].email;
    // Alternate rounds so neither kind runs on a warmer server than the other.
    let mut queues = Vec::new();
    let mut sends_none = Vec::new();
    for _ in 0..2 {
        sends_none.extend(time_requests(&server.base, "nobody@bench.test").await?);
        queues.extend(time_requests(&server.base, person).await?);
    }
    queues.sort_by(f64::total_cmp);
    sends_none.sort_by(f64::total_cmp);
    holding.abort();
    let (q50, q95) = (percentile(&queues, 50.0), percentile(&queues, 95.0));
    let (n50, n95) = (percentile(&sends_none, 50.0), percentile(&sends_none, 95.0));
    println!(
        "mail queue, SMTP server stalled: a request that queues a mail p50 {q50:.2} ms, p95 {q95:.2} ms; one that sends none p50 {n50:.2} ms, p95 {n95:.2} ms"
    );
    Ok(json!({
        "samples_each": queues.len(),
        "queues_mail_p50_ms": q50, "queues_mail_p95_ms": q95,
        "sends_none_p50_ms": n50, "sends_none_p95_ms": n95,
    }))
}

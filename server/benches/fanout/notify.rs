//! What reaches people who are not looking, under load: 1,000 reminders due at the same
//! moment, timed from that moment until the last one reached a real SMTP server (aiosmtpd),
//! with an ordinary signed-in request timed meanwhile against the same request before; then
//! the calendar feed of a person with 500 sessions, timed as a calendar app fetches it.

use super::*;

/// Reminders due at once: 5 sessions in each of the 100 relationships, one reminder per person.
pub(crate) const REMINDERS: usize = 1_000;
const SESSIONS_EACH: usize = REMINDERS / (2 * RELATIONSHIPS);
/// Sessions of the person whose feed is fetched (relationship 0's coach).
pub(crate) const FEED_SESSIONS: usize = 500;
const FEED_FETCHES: usize = 100;
/// How long after the server starts the reminders fall due (time to sign in and measure the
/// quiet request first).
const DUE_IN: chrono::Duration = chrono::Duration::seconds(25);

/// Puts `REMINDERS` reminders due at `due` and relationship 0's sessions up to `FEED_SESSIONS`
/// into the database, as scheduling sessions through the API would (without their invites).
async fn seed_jobs(url: &str, world: &World, due: chrono::DateTime<Utc>) -> BenchResult<()> {
    let state = tandem_server::build_state(tandem_server::Config::for_tests(url)).await.map_err(|e| e.to_string())?;
    tandem_server::on_engine!(state, engine, state => {
        use engine::db::{coaching_sessions, relationships};
        use engine::db::reminders::{self, Lead};
        let pool = state.db.clone();
        let now = Utc::now();
        let starts = due + chrono::Duration::hours(1);
        let mut db = pool.acquire().await.map_err(|e| e.to_string())?;
        for (r, session) in world.sessions.iter().enumerate() {
            let session: tandem_protocol::CoachingSessionId = session.parse().map_err(|e| format!("{e}"))?;
            let relationship = coaching_sessions::by_id(&mut *db, session)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("a seeded session is missing")?
                .coaching_relationship_id;
            let people = relationships::participants(&mut *db, relationship)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("a seeded relationship is missing")?
                .recipients();
            let more = if r == 0 { FEED_SESSIONS - 1 } else { SESSIONS_EACH };
            for n in 0..more {
                let reminded = n < SESSIONS_EACH;
                let date = if reminded { starts } else { starts + chrono::Duration::days(n as i64) };
                let fields = coaching_sessions::SessionFields {
                    date: date.naive_utc(),
                    duration_minutes: 60,
                    title: Some("Bench"),
                    meeting_url: Some("https://meet.example/bench"),
                    provider: None,
                };
                let id = coaching_sessions::insert(&mut *db, relationship, &fields, now).await.map_err(|e| e.to_string())?;
                if reminded {
                    let lead = [(Lead::Day, date - due)];
                    reminders::schedule(&mut db, id, &people, starts, &lead, now).await.map_err(|e| e.to_string())?;
                }
            }
        }
        drop(db);
        pool.close().await;
        Ok(())
    })
}

/// Times one signed-in request (a relationship's sessions, as the dashboard asks); ms.
async fn timed_request(client: &Client, base: &str, relationship_session: &str) -> BenchResult<f64> {
    let started = Instant::now();
    let answer = client
        .get(format!("{base}/api/coaching_sessions/{relationship_session}"))
        .header("x-version", API_VERSION)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !answer.status().is_success() {
        return Err(format!("the timed request answered {}", answer.status()));
    }
    answer.bytes().await.map_err(|e| e.to_string())?;
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// The figures of both parts.
pub(crate) async fn notifications(binary: &str, url: &str, world: &World) -> BenchResult<Value> {
    let due = Utc::now() + DUE_IN;
    seed_jobs(url, world, due).await?;
    let smtp = mail_server::SmtpServer::start().await;
    let smtp_url = smtp.url();
    let port = free_port()?;
    let public_url = format!("http://127.0.0.1:{port}");
    let args = ["--smtp-url", smtp_url.as_str(), "--public-url", public_url.as_str()];
    let running = Running::start_on_port(binary, url, world, port, &args).await?;
    let base = running.server.base.clone();
    let client = &running.writers[1];
    let session = &world.sessions[1];
    let until_due = || (due - Utc::now()).to_std().unwrap_or_default();
    let mut quiet = Vec::new();
    while until_due() > Duration::from_millis(500) {
        quiet.push(timed_request(client, &base, session).await?);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(until_due()).await;
    let due_instant = Instant::now();
    let mut busy = Vec::new();
    let deadline = due_instant + Duration::from_secs(180);
    while smtp.count() < REMINDERS && Instant::now() < deadline {
        busy.push(timed_request(client, &base, session).await?);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let all_out_s = due_instant.elapsed().as_secs_f64();
    let received = smtp.count();
    quiet.sort_by(f64::total_cmp);
    busy.sort_by(f64::total_cmp);
    let (q95, b95) = (percentile(&quiet, 95.0), percentile(&busy, 95.0));
    println!(
        "reminders: {received} of {REMINDERS} due at one moment reached the SMTP server {all_out_s:.1} s after it (job clock 15 s, woken at the due moment); a signed-in request p95 {q95:.2} ms before, {b95:.2} ms meanwhile"
    );

    // The feed of relationship 0's coach: every session of theirs.
    let login = Client::new()
        .post(format!("{base}/api/login"))
        .form(&[("email", "coach0@bench.test"), ("password", PASSWORD)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("id="))
        .and_then(|value| value.split(';').next())
        .ok_or("no session cookie")?
        .to_owned();
    let me: Value = login.json().await.map_err(|e| e.to_string())?;
    let id = me["data"]["id"].as_str().ok_or("no id in the login answer")?.to_owned();
    let made: Value = Client::new()
        .post(format!("{base}/api/users/{id}/calendar_feed"))
        .header("cookie", cookie)
        .header("x-version", API_VERSION)
        .header("origin", &base)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    let feed_url = made["data"]["url"].as_str().ok_or(format!("no feed address: {made}"))?.to_owned();
    let fetcher = Client::new();
    let mut times = Vec::with_capacity(FEED_FETCHES);
    let mut body = String::new();
    for _ in 0..FEED_FETCHES {
        let started = Instant::now();
        body =
            fetcher.get(&feed_url).send().await.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let events = body.matches("BEGIN:VEVENT").count();
    // A revoked address and a forged one (well formed, never issued) answer alike: the same
    // hash and the same indexed lookup, then 404.
    let revoked = feed_url.clone();
    let cookie_client = sign_in(&base, "coach0@bench.test").await?;
    let answer = cookie_client
        .delete(format!("{base}/api/users/{id}/calendar_feed"))
        .header("x-version", API_VERSION)
        .header("origin", &base)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !answer.status().is_success() {
        return Err(format!("turning the feed off answered {}", answer.status()));
    }
    let forged = format!("{base}/calendar/{}.ics", "Q".repeat(43));
    let (mut revoked_times, mut forged_times) = (Vec::new(), Vec::new());
    for _ in 0..FEED_FETCHES {
        for (url, times) in [(&revoked, &mut revoked_times), (&forged, &mut forged_times)] {
            let started = Instant::now();
            let answer = fetcher.get(url.as_str()).send().await.map_err(|e| e.to_string())?;
            if answer.status() != reqwest::StatusCode::NOT_FOUND {
                return Err(format!("a dead feed address answered {}", answer.status()));
            }
            answer.bytes().await.map_err(|e| e.to_string())?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    revoked_times.sort_by(f64::total_cmp);
    forged_times.sort_by(f64::total_cmp);
    let (r50, g50) = (percentile(&revoked_times, 50.0), percentile(&forged_times, 50.0));
    println!("a dead feed address answers 404: revoked p50 {r50:.3} ms, forged p50 {g50:.3} ms");
    let (f50, f95) = (percentile(&times, 50.0), percentile(&times, 95.0));
    println!(
        "calendar feed of a person with {events} sessions ({} KiB): p50 {f50:.1} ms, p95 {f95:.1} ms",
        body.len() / 1024
    );
    Ok(json!({
        "reminders": {
            "due_at_once": REMINDERS, "received": received, "all_out_s": all_out_s, "job_clock_s": 15,
            "request_p95_quiet_ms": q95, "request_p95_meanwhile_ms": b95,
            "request_p50_quiet_ms": percentile(&quiet, 50.0), "request_p50_meanwhile_ms": percentile(&busy, 50.0),
        },
        "calendar_feed": { "sessions": events, "bytes": body.len(), "fetches": FEED_FETCHES, "p50_ms": f50, "p95_ms": f95,
            "revoked_404_p50_ms": r50, "forged_404_p50_ms": g50 },
    }))
}

//! The release server binary as a process of its own, and signing its people in.

use super::*;

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
}

impl Server {
    /// `streams_per_person`: "0" for the load generator, which holds up to 50 streams per
    /// person as no browser does; the server's own default under attack.
    pub(crate) fn start(binary: &str, url: &str, port: u16, streams_per_person: &str) -> BenchResult<Server> {
        Self::start_with_args(binary, url, port, streams_per_person, &[])
    }

    /// As [`Server::start`], with more flags.
    pub(crate) fn start_with_args(
        binary: &str,
        url: &str,
        port: u16,
        streams_per_person: &str,
        extra: &[&str],
    ) -> BenchResult<Server> {
        let child = Command::new(binary)
            .args(["--port", &port.to_string(), "--database-url", url, "--demo", "false", "--log-level", "error"])
            // Everything comes from one address.
            .args(["--sse-streams-per-person", streams_per_person, "--connections-per-address-percent", "100"])
            // It signs in every bench person from one address within a minute.
            .args(["--sign-ins-per-address", "0"])
            // Mail the mail-queue step left queued (its SMTP server stalls) is sent by the next
            // server on the same database: into a folder of the run's, not the checkout.
            .arg("--mail-dir")
            .arg(std::env::temp_dir().join(format!("tandem-bench-mail-{}", std::process::id())))
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {binary}: {e}"))?;
        Ok(Server { child, base: format!("http://127.0.0.1:{port}") })
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory in KiB.
    pub(crate) fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// User + system CPU time in microseconds.
    pub(crate) fn cpu_us(&self) -> u64 {
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
pub(crate) struct Running {
    pub(crate) server: Server,
    /// One signed-in client per person, for the streams.
    pub(crate) clients: Vec<Client>,
    /// One more login per coach, so writes do not queue behind streams.
    pub(crate) writers: Vec<Client>,
}

impl Running {
    pub(crate) async fn start(binary: &str, url: &str, world: &World) -> BenchResult<Running> {
        Self::start_with(binary, url, world, "0").await
    }

    pub(crate) async fn start_with(
        binary: &str,
        url: &str,
        world: &World,
        streams_per_person: &str,
    ) -> BenchResult<Running> {
        Self::start_with_args(binary, url, world, streams_per_person, &[]).await
    }

    /// As [`Running::start_with`], with more flags for the server.
    pub(crate) async fn start_with_args(
        binary: &str,
        url: &str,
        world: &World,
        streams_per_person: &str,
        extra: &[&str],
    ) -> BenchResult<Running> {
        let port = free_port()?;
        Self::start_at(binary, url, world, port, streams_per_person, extra).await
    }

    /// As [`Running::start_with_args`], on `port` (whose address the server must know).
    pub(crate) async fn start_on_port(
        binary: &str,
        url: &str,
        world: &World,
        port: u16,
        extra: &[&str],
    ) -> BenchResult<Running> {
        Self::start_at(binary, url, world, port, "0", extra).await
    }

    async fn start_at(
        binary: &str,
        url: &str,
        world: &World,
        port: u16,
        streams_per_person: &str,
        extra: &[&str],
    ) -> BenchResult<Running> {
        let server = Server::start_with_args(binary, url, port, streams_per_person, extra)?;
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

/// A loopback port nothing listens on right now.
pub(crate) fn free_port() -> BenchResult<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

pub(crate) async fn wait_healthy(base: &str) -> BenchResult<()> {
    let client = Client::new();
    for _ in 0..400 {
        if client.get(format!("{base}/api/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err("the server did not become healthy".into())
}

/// Signs a bench person in to the Tandem server at `base`.
pub(crate) async fn sign_in(base: &str, email: &str) -> BenchResult<Client> {
    sign_in_at(&format!("{base}/api"), email, PASSWORD).await
}

/// Signs in to the API at `api` (Tandem's is `<base>/api`; the reference serves its routes at
/// the root).
pub(crate) async fn sign_in_at(api: &str, email: &str, password: &str) -> BenchResult<Client> {
    let client = Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().map_err(|e| e.to_string())?;
    let response = client
        .post(format!("{api}/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("login of {email} failed: {}", response.status()));
    }
    Ok(client)
}

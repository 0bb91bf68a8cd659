//! Mail as the tests receive it: a real SMTP server (aiosmtpd from PyPI, installed by
//! `scripts/setup.sh test` into `.tools/venv`) writing to a Maildir, or the `.eml` folder the
//! server writes to when it has no SMTP server.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One received mail: its whole text.
#[derive(Clone, Debug)]
pub struct Received {
    pub raw: String,
}

impl Received {
    /// A header's value (the first such header).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.raw
            .lines()
            .take_while(|line| !line.is_empty())
            .find(|line| line.to_ascii_lowercase().starts_with(&prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
    }

    /// Whether it was sent to `email`.
    pub fn is_to(&self, email: &str) -> bool {
        self.header("to").is_some_and(|to| to.contains(email))
    }

    /// Its plain-text part, decoded.
    pub fn text(&self) -> String {
        let parsed = mailparse::parse_mail(self.raw.as_bytes()).expect("a well-formed mail");
        let mut parts = vec![&parsed];
        while let Some(part) = parts.pop() {
            if part.ctype.mimetype == "text/plain" {
                return part.get_body().expect("a readable text part");
            }
            parts.extend(part.subparts.iter());
        }
        parsed.get_body().expect("a readable text part")
    }

    /// Its HTML part, decoded.
    pub fn html(&self) -> Option<String> {
        let parsed = mailparse::parse_mail(self.raw.as_bytes()).ok()?;
        let html = parsed.subparts.iter().find(|part| part.ctype.mimetype == "text/html")?;
        html.get_body().ok()
    }

    /// Its calendar file (the `invite.ics` attachment), decoded.
    pub fn calendar(&self) -> Option<String> {
        let parsed = mailparse::parse_mail(self.raw.as_bytes()).ok()?;
        let mut parts = vec![&parsed];
        while let Some(part) = parts.pop() {
            if part.ctype.mimetype == "application/ics" {
                return part.get_body().ok();
            }
            parts.extend(part.subparts.iter());
        }
        None
    }

    /// The first link in it to the web app's `page` (`setup`, `reset-password`).
    pub fn link(&self, page: &str) -> Option<String> {
        let marker = format!("/{page}/");
        self.text()
            .split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
            .find(|word| word.starts_with("http") && word.contains(&marker))
            .map(str::to_owned)
    }

    /// The token at the end of its link to `page`.
    pub fn token(&self, page: &str) -> Option<String> {
        self.link(page).and_then(|link| link.rsplit('/').next().map(str::to_owned))
    }
}

fn read_folder(folder: &Path) -> Vec<Received> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).filter(|path| path.is_file()).collect();
    files.sort();
    files.iter().filter_map(|path| std::fs::read_to_string(path).ok()).map(|raw| Received { raw }).collect()
}

/// Waits (at most `within`) until `folder` holds mail to `email` that `matches`, and returns
/// all of it.
async fn wait_in(folder: &Path, email: &str, count: usize, within: Duration) -> Vec<Received> {
    let deadline = Instant::now() + within;
    loop {
        let found: Vec<Received> = read_folder(folder).into_iter().filter(|mail| mail.is_to(email)).collect();
        if found.len() >= count || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The mails the server wrote to its `.eml` folder for `email`, once there are `count`.
pub async fn written_to(outbox: &Path, email: &str, count: usize) -> Vec<Received> {
    wait_in(outbox, email, count, Duration::from_secs(10)).await
}

/// A real SMTP server on a free loopback port; stops when dropped.
pub struct SmtpServer {
    pub port: u16,
    maildir: PathBuf,
    child: Child,
}

impl SmtpServer {
    /// Starts aiosmtpd with a Maildir of its own and waits until it accepts connections.
    pub async fn start() -> SmtpServer {
        Self::start_on(free_port()).await
    }

    /// Starts it on `port` (to bring a stopped one back at the same address).
    pub async fn start_on(port: u16) -> SmtpServer {
        let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/venv/bin/python");
        assert!(python.exists(), "no aiosmtpd: run `scripts/setup.sh test` (make test does) first");
        let maildir = std::env::temp_dir().join(format!("tandem-smtp-{}", uuid::Uuid::new_v4()));
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        SmtpServer { port, maildir, child }
    }

    /// The server's address for `--smtp-url`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far.
    pub fn received(&self) -> Vec<Received> {
        read_folder(&self.maildir.join("new"))
    }

    /// How many mails it has received (without reading them).
    pub fn count(&self) -> usize {
        std::fs::read_dir(self.maildir.join("new")).map_or(0, |entries| entries.count())
    }

    /// The mails to `email` whose subject contains `subject`: waits for `count` of them (up to
    /// 20 s), then a moment longer, and checks there are exactly that many (none too many).
    pub async fn exactly(&self, email: &str, subject: &str, count: usize) -> Vec<Received> {
        let of_kind = || -> Vec<Received> {
            self.received()
                .into_iter()
                .filter(|mail| mail.is_to(email) && mail.header("subject").is_some_and(|s| s.contains(subject)))
                .collect()
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while of_kind().len() < count && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        tokio::time::sleep(Duration::from_millis(600)).await;
        let found = of_kind();
        assert_eq!(
            found.len(),
            count,
            "mails to {email} about {subject:?}: {:#?}",
            found.iter().map(|m| m.header("subject")).collect::<Vec<_>>()
        );
        found
    }

    /// The mails to `email`, once there are `count` (or after ten seconds, what there is).
    pub async fn mails_to(&self, email: &str, count: usize) -> Vec<Received> {
        wait_in(&self.maildir.join("new"), email, count, Duration::from_secs(10)).await
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).map(|a| a.port()).unwrap()
}

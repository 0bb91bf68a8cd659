//! Server configuration: command-line flags, each also settable by an environment variable.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{ArgAction, Parser};

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// How to run the Tandem server (and its administration commands).
#[derive(Clone, Debug, Parser)]
#[command(name = "tandem-server", version, about = "Tandem: the coaching API, its live event stream and the web app")]
pub struct Config {
    /// An administration command instead of serving.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on.
    #[arg(long, env = "TANDEM_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "TANDEM_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Database URL; the SQLite file and its folder are created when missing.
    #[arg(long, env = "TANDEM_DATABASE_URL", default_value = "sqlite://data/tandem.db", global = true)]
    pub database_url: String,

    /// The address people open the web app at: the base of the links in mails and of the
    /// setup link `admin create-superadmin` prints.
    #[arg(long, env = "TANDEM_PUBLIC_URL", default_value = "http://127.0.0.1:8080", global = true)]
    pub public_url: String,

    /// SMTP server mails go through, `smtp://user:pass@host:port` (STARTTLS when offered;
    /// add `?tls=required` to insist) or `smtps://…` (TLS from the start). Unset: mails are
    /// written as `.eml` files to `--mail-dir` and their links logged.
    #[arg(long, env = "TANDEM_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of every mail.
    #[arg(long, env = "TANDEM_MAIL_FROM", default_value = "Tandem <tandem@localhost>")]
    pub mail_from: String,

    /// Folder mails are written to when no `--smtp-url` is given.
    #[arg(long, env = "TANDEM_MAIL_DIR", default_value = "data/outbox")]
    pub mail_dir: PathBuf,

    /// Seconds before the first retry of a failed mail; each later retry waits twice as long
    /// (at most an hour).
    #[arg(long, env = "TANDEM_MAIL_RETRY_SECS", default_value_t = 30)]
    pub mail_retry_secs: u64,

    /// Milliseconds between looks at the mail queue for mail another instance queued (mail
    /// this instance queues goes at once).
    #[arg(long, env = "TANDEM_MAIL_POLL_MS", default_value_t = 2000)]
    pub mail_poll_ms: u64,

    /// Seconds before a session its early reminder is due (a day; shortened in tests).
    #[arg(long, env = "TANDEM_REMINDER_DAY_SECS", default_value_t = 86_400)]
    pub reminder_day_secs: u64,

    /// Seconds before a session its late reminder is due (an hour; shortened in tests).
    #[arg(long, env = "TANDEM_REMINDER_HOUR_SECS", default_value_t = 3600)]
    pub reminder_hour_secs: u64,

    /// Milliseconds between looks for due reminders and digests (the job clock).
    #[arg(long, env = "TANDEM_JOBS_POLL_MS", default_value_t = 15_000)]
    pub jobs_poll_ms: u64,

    /// Hour of the day (in each person's zone) from which their digest of actions due soon
    /// may go out; at most one a day.
    #[arg(long, env = "TANDEM_DIGEST_HOUR", default_value_t = 8, value_parser = clap::value_parser!(u32).range(0..24))]
    pub digest_hour: u32,

    /// Password-reset requests allowed per client address within ten minutes (0: no limit).
    #[arg(long, env = "TANDEM_PASSWORD_RESETS_PER_ADDRESS", default_value_t = 10)]
    pub password_resets_per_address: u32,

    /// Password-reset mails sent per account within an hour; more requests answer as usual
    /// but send nothing.
    #[arg(long, env = "TANDEM_PASSWORD_RESETS_PER_ACCOUNT", default_value_t = 3)]
    pub password_resets_per_account: u32,

    /// Seed demo people and sessions into an empty database, and print their logins. Off
    /// unless asked for: the demo password is published.
    #[arg(long, env = "TANDEM_DEMO", default_value_t = false, action = ArgAction::Set)]
    pub demo: bool,

    /// Password of the demo people.
    #[arg(long, env = "TANDEM_DEMO_PASSWORD", default_value = crate::demo::PUBLISHED_PASSWORD)]
    pub demo_password: String,

    /// Log filter, e.g. `info` or `info,tandem_server=debug`.
    #[arg(long, env = "TANDEM_LOG", default_value = "info")]
    pub log_level: String,

    /// Log lines as text for a person or as JSON (one object a line) for a log collector.
    #[arg(long, env = "TANDEM_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Production mode: the session cookie is marked `Secure` and HSTS is sent (needs HTTPS
    /// in front); refuses to start while demo people have the published password.
    #[arg(long, env = "TANDEM_PRODUCTION", default_value_t = false)]
    pub production: bool,

    /// Most open connections at once (0: the process's file limit less a reserve). Beyond it,
    /// new connections are closed at once and a warning is logged.
    #[arg(long, env = "TANDEM_MAX_CONNECTIONS", default_value_t = 0)]
    pub max_connections: usize,

    /// Seconds a connection may take to send a request's headers, counted from its opening or
    /// from its previous answer (so also the idle keep-alive timeout).
    #[arg(long, env = "TANDEM_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,

    /// Largest request head (request line and headers), in bytes; a larger one is answered
    /// 431 at once. Nothing more than this is buffered for a head that never ends.
    #[arg(long, env = "TANDEM_MAX_HEAD_BYTES", default_value_t = 16 * 1024)]
    pub max_head_bytes: usize,

    /// Percent of the connection budget one client address may hold (at least 8
    /// connections; 0 or 100: no share, only the budget). Behind a proxy, with
    /// `--trust-forwarded-for`, the address is the forwarded client's.
    #[arg(long, env = "TANDEM_CONNECTIONS_PER_ADDRESS_PERCENT", default_value_t = 5)]
    pub connections_per_address_percent: u8,

    /// Seconds a request may take until its answer starts (a slowly sent body included).
    #[arg(long, env = "TANDEM_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Largest request body, in bytes; larger ones answer 413.
    #[arg(long, env = "TANDEM_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,

    /// Event streams one person may hold at once on this instance, over all their sign-ins;
    /// a new one closes their oldest (0: no cap).
    #[arg(long, env = "TANDEM_SSE_STREAMS_PER_PERSON", default_value_t = 10)]
    pub sse_streams_per_person: usize,

    /// Failed sign-ins allowed per client address within ten minutes (0: no limit).
    #[arg(long, env = "TANDEM_LOGIN_FAILURES_PER_ADDRESS", default_value_t = 30)]
    pub login_failures_per_address: u32,

    /// Failed sign-ins allowed per account within ten minutes (0: no limit).
    #[arg(long, env = "TANDEM_LOGIN_FAILURES_PER_ACCOUNT", default_value_t = 10)]
    pub login_failures_per_account: u32,

    /// Successful sign-ins allowed per account per minute (0: no limit); more answer 429.
    #[arg(long, env = "TANDEM_SIGN_INS_PER_ACCOUNT", default_value_t = 20)]
    pub sign_ins_per_account: u32,

    /// Successful sign-ins allowed per client address per minute (0: no limit).
    #[arg(long, env = "TANDEM_SIGN_INS_PER_ADDRESS", default_value_t = 120)]
    pub sign_ins_per_address: u32,

    /// Failed sign-ins allowed per device cookie within ten minutes: a browser that signed
    /// in to the account before keeps this allowance of its own, whatever others tried.
    #[arg(long, env = "TANDEM_LOGIN_FAILURES_PER_DEVICE", default_value_t = 10)]
    pub login_failures_per_device: u32,

    /// Writes (POST, PUT, PATCH, DELETE) one person may make in a burst; they come back at
    /// a tenth of this per second (0: no limit).
    #[arg(long, env = "TANDEM_WRITE_BURST", default_value_t = 100)]
    pub write_burst: u32,

    /// Bytes of notes updates one person may send per minute (0: no limit); one larger than
    /// this answers 422, more in a minute 429.
    #[arg(long, env = "TANDEM_NOTES_BYTES_PER_MINUTE", default_value_t = 256 * 1024)]
    pub notes_bytes_per_minute: u32,

    /// Password checks at once (0: one per core). More wait briefly, then answer 429.
    #[arg(long, env = "TANDEM_PASSWORD_CHECKS", default_value_t = 0)]
    pub password_checks: usize,

    /// Another origin the web app may call (its API base when built with `TANDEM_API_BASE`),
    /// added to the Content-Security-Policy's `connect-src`; may be repeated.
    #[arg(long, env = "TANDEM_CSP_CONNECT_SRC", value_delimiter = ',')]
    pub csp_connect_src: Vec<String>,

    /// Take the client's address from the last `X-Forwarded-For` entry (set this only behind
    /// a proxy that appends it, such as nginx with `$proxy_add_x_forwarded_for`).
    #[arg(long, env = "TANDEM_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Events kept per person for replay after a reconnect.
    #[arg(long, env = "TANDEM_SSE_REPLAY_SIZE", default_value_t = 1000)]
    pub sse_replay_size: usize,

    /// Seconds an event stays replayable.
    #[arg(long, env = "TANDEM_SSE_REPLAY_SECS", default_value_t = 600)]
    pub sse_replay_secs: u64,

    /// Events buffered per connection; a connection that falls this far behind is closed.
    #[arg(long, env = "TANDEM_SSE_BUFFER", default_value_t = 256)]
    pub sse_buffer: usize,

    /// Seconds of silence after which a keep-alive comment is sent.
    #[arg(long, env = "TANDEM_SSE_KEEPALIVE_SECS", default_value_t = 15)]
    pub sse_keepalive_secs: u64,

    /// Seconds a page counts as open on a session after it last said so [extension]. Pages
    /// say so every 8 s; a closed laptop is gone this long after, plus at most 5 s.
    #[arg(long, env = "TANDEM_PRESENCE_TTL_SECS", default_value_t = tandem_protocol::PRESENCE_TTL_SECS)]
    pub presence_ttl_secs: u64,

    /// Reconnection delay the stream suggests to clients (`retry:`), in milliseconds.
    #[arg(long, env = "TANDEM_SSE_RETRY_MS", default_value_t = 1000)]
    pub sse_retry_ms: u64,

    /// This instance's name, sent as `X-Tandem-Instance` on every answer (unset: not sent):
    /// behind a load balancer it tells which instance served a request.
    #[arg(long, env = "TANDEM_INSTANCE_NAME")]
    pub instance_name: Option<String>,

    /// Address to serve Prometheus metrics on, at `/metrics` (e.g. `127.0.0.1:9100`); keep it
    /// off the public network. Unset: no metrics are kept.
    #[arg(long, env = "TANDEM_METRICS_BIND")]
    pub metrics_bind: Option<std::net::SocketAddr>,

    /// Folder of the built web app (Trunk's `dist/`), served at `/`.
    #[arg(long, env = "TANDEM_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
}

/// Administration commands.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Administration of the database, without serving.
    #[command(subcommand)]
    Admin(AdminCommand),
}

/// `tandem-server admin …`.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Creates a super administrator (or finds the one with this email) and prints a
    /// one-time link at which they set their password.
    CreateSuperadmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        first_name: String,
        #[arg(long)]
        last_name: String,
    },
    /// Copies a SQLite database, while it is in use, into a new file (PostgreSQL: use
    /// `pg_dump`, see docs/operations.md).
    Backup {
        /// The file to write; it must not exist.
        #[arg(long)]
        to: PathBuf,
    },
}

impl Config {
    /// The event hub's limits.
    pub fn hub_settings(&self) -> crate::realtime::HubSettings {
        crate::realtime::HubSettings {
            replay_size: self.sse_replay_size,
            replay_age: std::time::Duration::from_secs(self.sse_replay_secs),
            buffer: self.sse_buffer,
            streams_per_person: self.sse_streams_per_person,
        }
    }

    /// The defaults, as if started with no flags and no environment (for tests).
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Config {
            command: None,
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            database_url: database_url.into(),
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            mail_from: "Tandem <tandem@localhost>".into(),
            mail_dir: PathBuf::from("data/outbox"),
            mail_retry_secs: 30,
            mail_poll_ms: 2000,
            reminder_day_secs: 86_400,
            reminder_hour_secs: 3600,
            jobs_poll_ms: 15_000,
            digest_hour: 8,
            password_resets_per_address: 10,
            password_resets_per_account: 3,
            demo: false,
            demo_password: "tandem-demo".into(),
            log_level: "warn".into(),
            log_format: LogFormat::Text,
            production: false,
            max_connections: 0,
            header_timeout_secs: 10,
            max_head_bytes: 16 * 1024,
            connections_per_address_percent: 5,
            request_timeout_secs: 30,
            body_limit: 1024 * 1024,
            sse_streams_per_person: 10,
            login_failures_per_address: 30,
            login_failures_per_account: 10,
            sign_ins_per_account: 20,
            sign_ins_per_address: 120,
            login_failures_per_device: 10,
            write_burst: 100,
            notes_bytes_per_minute: 256 * 1024,
            password_checks: 0,
            trust_forwarded_for: false,
            csp_connect_src: Vec::new(),
            instance_name: None,
            metrics_bind: None,
            static_dir: PathBuf::from("dist"),
            sse_replay_size: 1000,
            sse_replay_secs: 600,
            sse_buffer: 256,
            sse_keepalive_secs: 15,
            presence_ttl_secs: tandem_protocol::PRESENCE_TTL_SECS,
            sse_retry_ms: 1000,
        }
    }
}

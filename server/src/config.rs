//! Server configuration: command-line flags, each also settable by an environment variable.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{ArgAction, Parser};

/// How to run the Tandem server.
#[derive(Clone, Debug, Parser)]
#[command(name = "tandem-server", version, about = "Tandem: the coaching API, its live event stream and the web app")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "TANDEM_BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "TANDEM_PORT", default_value_t = 8080)]
    pub port: u16,

    /// Database URL; the SQLite file and its folder are created when missing.
    #[arg(long, env = "TANDEM_DATABASE_URL", default_value = "sqlite://data/tandem.db")]
    pub database_url: String,

    /// Seed demo people and sessions into an empty database, and print their logins.
    #[arg(long, env = "TANDEM_DEMO", default_value_t = true, action = ArgAction::Set)]
    pub demo: bool,

    /// Password of the demo people.
    #[arg(long, env = "TANDEM_DEMO_PASSWORD", default_value = "tandem-demo")]
    pub demo_password: String,

    /// Log filter, e.g. `info` or `info,tandem_server=debug`.
    #[arg(long, env = "TANDEM_LOG", default_value = "info")]
    pub log_level: String,

    /// Production mode: the session cookie is marked `Secure` (needs HTTPS in front).
    #[arg(long, env = "TANDEM_PRODUCTION", default_value_t = false)]
    pub production: bool,

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

    /// Reconnection delay the stream suggests to clients (`retry:`), in milliseconds.
    #[arg(long, env = "TANDEM_SSE_RETRY_MS", default_value_t = 1000)]
    pub sse_retry_ms: u64,

    /// Folder of the built web app (Trunk's `dist/`), served at `/`.
    #[arg(long, env = "TANDEM_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,
}

impl Config {
    /// The event hub's limits.
    pub fn hub_settings(&self) -> crate::realtime::HubSettings {
        crate::realtime::HubSettings {
            replay_size: self.sse_replay_size,
            replay_age: std::time::Duration::from_secs(self.sse_replay_secs),
            buffer: self.sse_buffer,
        }
    }

    /// The defaults, as if started with no flags and no environment (for tests).
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 0,
            database_url: database_url.into(),
            demo: false,
            demo_password: "tandem-demo".into(),
            log_level: "warn".into(),
            production: false,
            static_dir: PathBuf::from("dist"),
            sse_replay_size: 1000,
            sse_replay_secs: 600,
            sse_buffer: 256,
            sse_keepalive_secs: 15,
            sse_retry_ms: 1000,
        }
    }
}

//! `tandem-server`: see `--help` for flags and their environment variables.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use tandem_server::config::{AdminCommand, Command, LogFormat};
use tandem_server::telemetry;
use tandem_server::{build_state, demo, serve, Config, StartError};
use tokio::net::TcpListener;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

fn main() -> ExitCode {
    tune_allocator();
    let config = Config::parse();
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let log = match config.log_format {
        LogFormat::Text => tracing_subscriber::fmt::layer().boxed(),
        // Each line one JSON object, with the fields of the spans it is in (the request id).
        LogFormat::Json => tracing_subscriber::fmt::layer().json().with_current_span(true).boxed(),
    };
    // Statement times for the metrics, from sqlx's own events, only when metrics are kept.
    let query_times = config.metrics_bind.map(|_| telemetry::QueryTimes.with_filter(telemetry::query_events()));
    tracing_subscriber::registry().with(log.with_filter(filter)).with(query_times).init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("tandem-server: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("tandem-server: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Caps glibc's malloc at two arenas (unless `MALLOC_ARENA_MAX` says otherwise). By default
/// glibc opens up to eight per core, one for each thread that meets a busy one; memory freed
/// in one arena cannot serve another, and with thousands of idle event streams most of it
/// ends up stranded: 19 KiB of resident memory per idle stream instead of 9 (`make bench`).
///
/// Also fixes the size from which blocks are mapped from the kernel on their own (and given
/// back when freed) at 1 MiB. glibc otherwise raises that size to the largest block freed so
/// far, so after the first password check its 19 MiB block and every later one came from
/// the arenas, which keep freed memory: a flood of sign-ins left gigabytes resident.
/// Must run before any thread starts.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets allocator parameters; no thread exists yet.
        unsafe {
            if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
                libc::mallopt(libc::M_ARENA_MAX, 2);
            }
            if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
                libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
            }
        }
    }
}

async fn run(config: Config) -> Result<(), StartError> {
    if let Some(Command::Admin(command)) = &config.command {
        return run_admin(&config, command).await;
    }
    let address = SocketAddr::new(config.bind, config.port);
    let demo_password = config.demo.then(|| config.demo_password.clone());
    if let Some(bind) = config.metrics_bind {
        tandem_server::telemetry::install(bind).map_err(StartError::Admin)?;
        println!("Metrics at http://{bind}/metrics");
    }
    let state = build_state(config).await?;
    let listener = TcpListener::bind(address).await?;
    let url = format!("http://{}", listener.local_addr()?);
    tracing::info!("Tandem is listening on {url}");
    println!("\nTandem is running at {url}");
    if let Some(password) = demo_password {
        println!("Demo logins (password: {password}):");
        for person in demo::PEOPLE {
            println!("  {:<8} {:<22} {}", person.role, person.email, person.full_name());
        }
    }
    println!("Press Ctrl+C to stop.\n");

    serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

/// Runs an administration command; its failure is the process's.
async fn run_admin(config: &Config, command: &AdminCommand) -> Result<(), StartError> {
    match command {
        AdminCommand::CreateSuperadmin { email, first_name, last_name } => {
            let message = tandem_server::create_superadmin(config, email, first_name, last_name)
                .await
                .map_err(StartError::Admin)?;
            println!("{message}");
            Ok(())
        }
        AdminCommand::Backup { to } => {
            let message = tandem_server::backup(config, to).await.map_err(StartError::Admin)?;
            println!("{message}");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

//! Accepting connections within a budget, and timing out those that send nothing.
//!
//! `axum::serve` accepts without limit and never times a connection out: 1,100 idle TCP
//! connections used up the process's file descriptors and every other request failed. Here
//! a connection is accepted only while fewer than the budget are open (otherwise it is
//! closed at once and a warning logged), and one that does not send a complete request head
//! within the header timeout, counted from its opening or its previous answer, is closed.
//! A connection whose first request opens the event stream is served by [`lean_stream`],
//! without hyper's buffers; every other one by hyper.
//!
//! One client address may hold only its share of the budget ([`AddressShares`]): before,
//! one account's 19,344 streams from one address took every connection there was.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::lean_stream::{self, FirstRequest, Replayed};
use crate::limits::last_forwarded;

/// How connections are admitted and timed out.
#[derive(Clone, Debug)]
pub struct ConnectionLimits {
    /// Most connections open at once.
    pub budget: usize,
    /// Time a connection has to send a complete request head (also its idle time).
    pub header_timeout: Duration,
    /// Largest request head, in bytes; a longer one is answered 431.
    pub max_head: usize,
    /// Most connections one client address may hold at once (0: only the budget).
    pub per_address: usize,
    /// Whether the client address is the last `X-Forwarded-For` entry (behind a proxy),
    /// which is known once the first head is read, rather than the TCP peer.
    pub trust_forwarded_for: bool,
}

/// The share of the budget each client address may hold: `percent` of it, at least 8.
pub fn per_address_share(budget: usize, percent: u8) -> usize {
    if percent == 0 || percent >= 100 {
        return 0;
    }
    (budget * usize::from(percent) / 100).max(8)
}

/// Open connections per client address.
#[derive(Clone, Default)]
struct AddressShares {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

/// One connection counted against its address, until dropped.
struct AddressSlot {
    shares: AddressShares,
    address: IpAddr,
}

impl AddressShares {
    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
        // Counts only: a panic elsewhere cannot leave them half-updated.
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a connection from `address`, unless it already holds `share` (0: no limit).
    fn take(&self, address: IpAddr, share: usize) -> Option<AddressSlot> {
        let mut open = self.open();
        let count = open.entry(address).or_insert(0);
        if share > 0 && *count >= share {
            return None;
        }
        *count += 1;
        Some(AddressSlot { shares: self.clone(), address })
    }
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.shares.open();
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// The answer to a connection past its address's share; the connection closes after it.
const ADDRESS_FULL: &[u8] = b"HTTP/1.1 429 Too Many Requests\r\nretry-after: 5\r\n\
content-type: text/plain; charset=utf-8\r\ncontent-length: 41\r\nconnection: close\r\n\r\n\
Too many connections from your address.\r\n";

/// Answers 429 and closes, within a short time.
async fn refuse_for_address(mut tcp: TcpStream) {
    use tokio::io::AsyncWriteExt;
    let _ = tokio::time::timeout(Duration::from_secs(5), tcp.write_all(ADDRESS_FULL)).await;
    let _ = tcp.shutdown().await;
}

/// Raises the soft limit of open files to the hard limit (the kernel's default soft limit of
/// 1024 is far below what a server of event streams needs); returns the soft limit now set.
pub fn raise_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit and setrlimit only read and write the struct we pass.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return None;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 on every unix
        Some(limit.rlim_cur as u64)
    }
    #[cfg(not(unix))]
    None
}

/// The connection budget: `configured`, or when 0, the file limit less a reserve for the
/// database, the session store, static files and the listener itself.
pub fn budget(configured: usize) -> usize {
    if configured > 0 {
        return configured;
    }
    let files = raise_file_limit().unwrap_or(1024).min(1 << 20) as usize;
    // What is left for the database's connections, log and static files: a fixed part and 2 %.
    files.saturating_sub(256 + files / 50).max(16)
}

/// Logs shed connections at most once a second, with how many since the last line.
struct ShedLog {
    last: Option<Instant>,
    unreported: u64,
}

impl ShedLog {
    fn shed(&mut self, budget: usize) {
        self.unreported += 1;
        if self.last.is_none_or(|last| last.elapsed() >= Duration::from_secs(1)) {
            tracing::warn!(
                budget,
                shed = self.unreported,
                "shedding load: {budget} connections are open, the budget; closing new ones"
            );
            self.last = Some(Instant::now());
            self.unreported = 0;
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then lets
/// open requests finish (at most `drain`), closing idle connections at once.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
    drain: Duration,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.budget));
    let shares = AddressShares::default();
    let mut http = http1::Builder::new();
    // Later heads of a kept-alive connection are read by hyper: the same limit (hyper's
    // smallest buffer is 8 KiB), instead of its default of about 400 KB.
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).max_buf_size(limits.max_head.max(8192));
    let graceful = GracefulShutdown::new();
    // Lean event streams are not hyper's connections: each holds a sender of this channel
    // while it is served, and the shutdown waits until every one is dropped (the stream's
    // last frame written). Other connections hold only a weak one, which keeps nothing open.
    let (lean_open, mut lean_closed) = tokio::sync::mpsc::channel::<()>(1);
    let mut shed_log = ShedLog { last: None, unreported: 0 };
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    on_accept_error(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            shed_log.shed(limits.budget);
            crate::telemetry::connection_shed("budget");
            drop(tcp);
            continue;
        };
        // Without a proxy the peer is the client, known now; behind one, the client's
        // address is in the first head.
        let direct_slot = if limits.trust_forwarded_for {
            None
        } else {
            match shares.take(peer.ip(), limits.per_address) {
                Some(slot) => Some(slot),
                None => {
                    crate::telemetry::connection_shed("address_share");
                    tokio::spawn(async move {
                        refuse_for_address(tcp).await;
                        drop(permit);
                    });
                    continue;
                }
            }
        };
        // Events are small writes: without TCP_NODELAY, Nagle's algorithm and delayed ACKs
        // can hold one back for 40 ms.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!("cannot set TCP_NODELAY: {error}");
        }
        let router = router.clone();
        let http = http.clone();
        let watcher = graceful.watcher();
        let limits = limits.clone();
        let shares = shares.clone();
        let lean_open = lean_open.downgrade();
        tokio::spawn(async move {
            let mut tcp = tcp;
            let first = lean_stream::first_request(&mut tcp, limits.max_head, limits.header_timeout).await;
            let slot = match direct_slot {
                Some(slot) => Some(slot),
                None => {
                    let forwarded = match &first {
                        FirstRequest::EventStream(request) => {
                            last_forwarded(request.headers().get_all("x-forwarded-for").iter().map(|v| v.as_bytes()))
                        }
                        FirstRequest::Other(read) => lean_stream::forwarded_for(read),
                        FirstRequest::TooLarge | FirstRequest::Gone => None,
                    };
                    shares.take(forwarded.unwrap_or(peer.ip()), limits.per_address)
                }
            };
            match (first, slot) {
                (FirstRequest::TooLarge, _) => crate::telemetry::connection_shed("head_too_large"),
                (FirstRequest::Gone, _) => {}
                (_, None) => {
                    crate::telemetry::connection_shed("address_share");
                    refuse_for_address(tcp).await
                }
                (FirstRequest::EventStream(request), Some(_slot)) => {
                    let serving = lean_open.upgrade();
                    lean_stream::serve(tcp, request, router, peer).await;
                    drop(serving);
                }
                (FirstRequest::Other(read), Some(_slot)) => {
                    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        router.clone().oneshot(request)
                    });
                    let io = TokioIo::new(Replayed::new(read, tcp));
                    if let Err(error) = watcher.watch(http.serve_connection(io, service)).await {
                        tracing::debug!(%peer, "connection ended: {error}");
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    drop(lean_open);
    let drained = async {
        graceful.shutdown().await;
        // None once every lean stream's sender is gone.
        lean_closed.recv().await;
    };
    if tokio::time::timeout(drain, drained).await.is_err() {
        tracing::warn!("some connections were still open after {drain:?}; stopping anyway");
    }
    Ok(())
}

/// Errors of one incoming connection are its own; others (out of files, say) are logged,
/// and accepting pauses briefly so the loop does not spin.
async fn on_accept_error(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(error.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        return;
    }
    tracing::error!("accept error: {error}");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// Every few seconds, hands the allocator's free pages back to the kernel. After a burst
/// (a flood of requests, many connections closing) glibc keeps the freed memory inside its
/// arenas, where fragmentation stops it from shrinking on its own; `malloc_trim` releases
/// the free pages wherever they lie. It takes well under a millisecond on a quiet heap.
pub async fn give_back_freed_memory() {
    let mut every = tokio::time::interval(Duration::from_secs(3));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        every.tick().await;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only returns free memory to the kernel.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}

//! Event streams served without hyper's connection buffers.
//!
//! hyper keeps an 8 KiB read buffer and an 8 KiB write buffer for the whole life of an
//! HTTP/1 connection and has no setting for either; on a server of idle event streams that
//! was most of the memory each stream held. So a connection's first request head is read
//! here, into a buffer that is freed once the head is parsed. When it opens the event
//! stream (`GET /api/sse`, HTTP/1.1, no body), the router answers it like any other request
//! and the answer is written from each event's own bytes (chunked), with nothing kept
//! between events; the connection closes when the stream ends. Any other first request goes
//! to hyper, with the bytes already read put back in front ([`Replayed`]).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, HttpBody};
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, Response, Version};
use axum::Router;
use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tower::ServiceExt;

/// Most headers of a request read here (hyper's own default is 100).
const MAX_HEADERS: usize = 64;
/// A write the client does not take within this time ends the stream: a client that stopped
/// reading must not hold a connection forever.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// What a connection's first request turned out to be.
pub enum FirstRequest {
    /// It opens the event stream; the head is parsed and its buffer freed.
    EventStream(Box<Request<Body>>),
    /// Anything else: what was read so far (a whole head, or a malformed one), for hyper to
    /// read again.
    Other(Vec<u8>),
    /// Its head passed the limit before it ended; it was answered 431.
    TooLarge,
    /// The client closed the connection, or sent no complete head in time.
    Gone,
}

/// The answer to a head past the limit; the connection closes after it.
const TOO_LARGE: &[u8] = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n\
content-length: 38\r\nconnection: close\r\n\r\nThe request's headers are too large.\r\n";

/// Reads the first request head of `tcp`, at most `max_head` bytes within `timeout` of the
/// connection's opening, and says what it is. Nothing beyond `max_head` (plus one byte, to
/// tell a full head from a longer one) is ever read or buffered, so a flood of unfinished
/// heads costs at most `max_head` per connection; one that passes it is answered 431 at once.
pub async fn first_request(tcp: &mut TcpStream, max_head: usize, timeout: Duration) -> FirstRequest {
    let mut read = Vec::with_capacity(max_head.clamp(1, 1024));
    let complete = tokio::time::timeout(timeout, async {
        loop {
            if read.len() == read.capacity() {
                read.reserve_exact(read.capacity().min(max_head + 1 - read.len()));
            }
            let room = (read.capacity() - read.len()) as u64;
            match (&mut *tcp).take(room).read_buf(&mut read).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match httparse::Request::new(&mut headers).parse(&read) {
                Ok(httparse::Status::Partial) if read.len() > max_head => return Some(false),
                Ok(httparse::Status::Partial) => {}
                // Complete or malformed: decided below (hyper answers the malformed ones).
                _ => return Some(true),
            }
        }
    })
    .await;
    match complete {
        Ok(Some(true)) => match event_stream_request(&read) {
            Some(request) => FirstRequest::EventStream(Box::new(request)),
            None => FirstRequest::Other(read),
        },
        Ok(Some(false)) => {
            drop(read);
            let _ = tokio::time::timeout(Duration::from_secs(5), tcp.write_all(TOO_LARGE)).await;
            let _ = tcp.shutdown().await;
            FirstRequest::TooLarge
        }
        Ok(None) | Err(_) => FirstRequest::Gone,
    }
}

/// The value of the last `X-Forwarded-For` header of a complete head, if any.
pub fn forwarded_for(head: &[u8]) -> Option<std::net::IpAddr> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    parsed.parse(head).ok()?;
    let values = parsed.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("x-forwarded-for")).map(|h| h.value);
    crate::limits::last_forwarded(values)
}

/// The request, when `head` is a complete HTTP/1.1 `GET` of the event stream without a body.
fn event_stream_request(head: &[u8]) -> Option<Request<Body>> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let httparse::Status::Complete(length) = parsed.parse(head).ok()? else { return None };
    let path = parsed.path?;
    let is_stream = parsed.method == Some("GET")
        && parsed.version == Some(1)
        && length == head.len()
        && crate::paths::is_event_stream(path);
    if !is_stream {
        return None;
    }
    let mut request = Request::builder().method(Method::GET).uri(path).version(Version::HTTP_11);
    for field in parsed.headers.iter() {
        let name = HeaderName::from_bytes(field.name.as_bytes()).ok()?;
        if name == header::CONTENT_LENGTH || name == header::TRANSFER_ENCODING {
            return None;
        }
        request = request.header(name, HeaderValue::from_bytes(field.value).ok()?);
    }
    request.body(Body::empty()).ok()
}

/// Event streams served here since the process started.
static SERVED: AtomicU64 = AtomicU64::new(0);

/// How many event streams were served off hyper's path since the process started (a test
/// proves with it that a browser's stream still takes this path).
pub fn streams_served() -> u64 {
    SERVED.load(Ordering::Relaxed)
}

/// Answers the event stream request on `tcp` through `router`, then closes the connection.
pub async fn serve(mut tcp: TcpStream, request: Box<Request<Body>>, router: Router, peer: SocketAddr) {
    SERVED.fetch_add(1, Ordering::Relaxed);
    let mut request = *request;
    request.extensions_mut().insert(ConnectInfo(peer));
    let Ok(response) = router.oneshot(request).await;
    if let Err(error) = answer(&mut tcp, response).await {
        tracing::debug!(%peer, "event stream connection ended: {error}");
    }
    let _ = tcp.shutdown().await;
}

/// Writes `response`: its head, then its body as it comes (chunked, unless its length is
/// known), until the body ends or the client goes away.
async fn answer(tcp: &mut TcpStream, response: Response<Body>) -> io::Result<()> {
    let (parts, body) = response.into_parts();
    let known_length = body.size_hint().exact();
    let mut head = format!("HTTP/1.1 {}\r\n", parts.status).into_bytes();
    for (name, value) in &parts.headers {
        if name == header::CONNECTION || name == header::TRANSFER_ENCODING {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    match known_length {
        Some(length) if !parts.headers.contains_key(header::CONTENT_LENGTH) => {
            head.extend_from_slice(format!("content-length: {length}\r\n").as_bytes());
        }
        Some(_) => {}
        None => head.extend_from_slice(b"transfer-encoding: chunked\r\n"),
    }
    head.extend_from_slice(b"connection: close\r\n\r\n");
    write(tcp, &head).await?;
    drop(head);

    let chunked = known_length.is_none();
    let (mut reader, mut writer) = tcp.split();
    let mut data = body.into_data_stream();
    let mut incoming = [0u8; 64];
    loop {
        tokio::select! {
            next = data.next() => match next {
                Some(Ok(bytes)) if bytes.is_empty() => {}
                Some(Ok(bytes)) => {
                    let frame = if chunked { chunk(&bytes) } else { bytes.to_vec() };
                    write(&mut writer, &frame).await?;
                }
                Some(Err(error)) => return Err(io::Error::other(error)),
                None => break,
            },
            // The client sends nothing more on a stream's connection: end of input (or an
            // error) means it went away. Anything it does send is ignored.
            read = reader.read(&mut incoming) => match read {
                Ok(0) => return Ok(()),
                Ok(_) => {}
                Err(error) => return Err(error),
            },
        }
    }
    if chunked {
        write(&mut writer, b"0\r\n\r\n").await?;
    }
    Ok(())
}

/// One chunk of a chunked body.
fn chunk(bytes: &[u8]) -> Vec<u8> {
    let mut frame = format!("{:x}\r\n", bytes.len()).into_bytes();
    frame.reserve(bytes.len() + 2);
    frame.extend_from_slice(bytes);
    frame.extend_from_slice(b"\r\n");
    frame
}

async fn write(writer: &mut (impl AsyncWrite + Unpin), bytes: &[u8]) -> io::Result<()> {
    match tokio::time::timeout(WRITE_TIMEOUT, writer.write_all(bytes)).await {
        Ok(written) => written,
        Err(_) => Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading")),
    }
}

/// A connection whose first bytes were already read: they are read again first, then the
/// connection itself.
pub struct Replayed {
    read: Vec<u8>,
    at: usize,
    tcp: TcpStream,
}

impl Replayed {
    pub fn new(read: Vec<u8>, tcp: TcpStream) -> Self {
        Replayed { read, at: 0, tcp }
    }
}

impl AsyncRead for Replayed {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.at < this.read.len() {
            let taken = (this.read.len() - this.at).min(buf.remaining());
            buf.put_slice(&this.read[this.at..this.at + taken]);
            this.at += taken;
            if this.at == this.read.len() {
                this.read = Vec::new();
                this.at = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Replayed {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_get_of_the_stream_is_taken() {
        let head = b"GET /api/sse?lastEventId=4 HTTP/1.1\r\nHost: x\r\nCookie: id=1\r\nLast-Event-ID: 4\r\n\r\n";
        let request = event_stream_request(head).expect("the stream request");
        assert_eq!(request.uri().path(), "/api/sse");
        assert_eq!(request.uri().query(), Some("lastEventId=4"));
        assert_eq!(request.headers()["cookie"], "id=1");
        assert_eq!(request.headers()["last-event-id"], "4");
    }

    #[test]
    fn everything_else_goes_to_hyper() {
        for head in [
            &b"GET /api/sse HTTP/1.1\r\nHost: x\r\n"[..],
            b"GET /api/sses HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /api/users HTTP/1.1\r\nHost: x\r\n\r\n",
            b"POST /api/sse HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET /api/sse HTTP/1.0\r\nHost: x\r\n\r\n",
            b"GET /api/sse HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            b"GET /api/sse HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n\r\n",
            b"garbage\r\n\r\n",
        ] {
            assert!(event_stream_request(head).is_none(), "{}", String::from_utf8_lossy(head));
        }
    }

    #[test]
    fn a_chunk_is_framed_with_its_length_in_hex() {
        assert_eq!(chunk(b"0123456789abcdefXY"), b"12\r\n0123456789abcdefXY\r\n");
    }

    #[tokio::test]
    async fn what_was_read_is_read_again_first() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let client = tokio::spawn(async move {
            let mut tcp = TcpStream::connect(address).await.expect("connect");
            tcp.write_all(b" world").await.expect("write");
        });
        let (tcp, _) = listener.accept().await.expect("accept");
        client.await.expect("client");
        let mut replayed = Replayed::new(b"hello".to_vec(), tcp);
        let mut all = String::new();
        replayed.read_to_string(&mut all).await.expect("read");
        assert_eq!(all, "hello world");
    }
}

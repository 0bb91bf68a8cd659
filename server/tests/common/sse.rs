//! A small event-stream reader over reqwest, as a browser's EventSource would read it.
//! Shared by the tests and `make bench`'s load generator (`benches/fanout/`, which
//! includes this file): each uses a different part of it.

#![allow(dead_code)]

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use reqwest::Client;
use serde_json::Value;

/// One block of the stream, up to a blank line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<u64>,
    pub comment: bool,
}

impl Frame {
    /// The `data:` JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or_else(|e| panic!("data is not JSON ({e}): {}", self.data))
    }

    /// The `id:` as a number.
    pub fn id_number(&self) -> u64 {
        self.id.as_deref().and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("no numeric id: {self:?}"))
    }
}

/// Frames out of a stream's bytes as they come: one block, up to a blank line, at a time.
#[derive(Default)]
pub struct FrameReader {
    buffer: String,
}

impl FrameReader {
    /// Bytes of the stream, as they arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.push_str(&String::from_utf8_lossy(bytes));
    }

    /// The next whole frame received, if any.
    pub fn next_frame(&mut self) -> Option<Frame> {
        let end = self.buffer.find("\n\n")?;
        let block: String = self.buffer.drain(..end + 2).collect();
        Some(parse(&block))
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>;

/// An open event stream.
pub struct SseClient {
    body: ByteStream,
    reader: FrameReader,
}

impl SseClient {
    /// Connects, optionally with `Last-Event-ID`, and checks the answer is an event stream.
    pub async fn connect(client: &Client, url: &str, last_event_id: Option<&str>) -> SseClient {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200, "event stream refused");
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.starts_with("text/event-stream"), "{content_type}");
        SseClient { body: Box::pin(response.bytes_stream()), reader: FrameReader::default() }
    }

    /// The next frame of any kind; `None` when the server closed the stream. Panics after
    /// `within` without one.
    pub async fn next_frame_within(&mut self, within: Duration) -> Option<Frame> {
        tokio::time::timeout(within, self.read_frame()).await.expect("no frame arrived in time")
    }

    async fn read_frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(frame) = self.reader.next_frame() {
                return Some(frame);
            }
            match self.body.next().await {
                Some(Ok(bytes)) => self.reader.push(&bytes),
                Some(Err(_)) | None => return None,
            }
        }
    }

    /// The next event, skipping `retry:`-only blocks and keep-alives.
    pub async fn next_event(&mut self) -> Frame {
        loop {
            let frame = self.next_frame_within(Duration::from_secs(5)).await.expect("the stream ended");
            let keep_alive = frame.event.as_deref() == Some(tandem_protocol::HEARTBEAT_EVENT);
            if !keep_alive && (frame.event.is_some() || !frame.data.is_empty()) {
                return frame;
            }
        }
    }

    /// The next event, which must be of type `name`. Inbox items ride along with many writes
    /// (to the other person only); unless `name` is one, they are looked past here, and
    /// `tests/notifications.rs` checks them.
    pub async fn expect(&mut self, name: &str) -> Frame {
        let mut frame = self.next_event().await;
        while frame.event.as_deref() == Some("notification_created") && name != "notification_created" {
            frame = self.next_event().await;
        }
        assert_eq!(frame.event.as_deref(), Some(name), "unexpected event: {frame:?}");
        assert_eq!(frame.json()["type"], name, "JSON type differs from the event name");
        frame
    }

    /// Waits for the server to end the stream (frames before the end are returned).
    pub async fn until_closed(&mut self) -> Vec<Frame> {
        let mut frames = Vec::new();
        while let Some(frame) = self.next_frame_within(Duration::from_secs(5)).await {
            frames.push(frame);
        }
        frames
    }
}

fn parse(block: &str) -> Frame {
    let mut frame = Frame::default();
    let mut data = Vec::new();
    for line in block.lines() {
        if line.starts_with(':') {
            frame.comment = true;
            continue;
        }
        let (field, value) =
            line.split_once(':').map(|(f, v)| (f, v.strip_prefix(' ').unwrap_or(v))).unwrap_or((line, ""));
        match field {
            "id" => frame.id = Some(value.to_owned()),
            "event" => frame.event = Some(value.to_owned()),
            "data" => data.push(value.to_owned()),
            "retry" => frame.retry = value.parse().ok(),
            _ => {}
        }
    }
    frame.data = data.join("\n");
    frame
}

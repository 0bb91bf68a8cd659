//! Event streams opened by the load generator, read with the tests' own SSE reader.

use super::*;

/// An arrival: which agreement, when, and the event id.
pub(crate) type Arrival = (String, Instant, u64);

/// Opens one stream and forwards every `agreement_created` to `arrivals`; returns once the
/// stream is open. The task ends when the stream does or when `stop` is dropped.
pub(crate) async fn open_stream(
    client: &Client,
    url: String,
    last_event_id: Option<u64>,
    arrivals: mpsc::UnboundedSender<Arrival>,
    last_seen: Arc<AtomicU64>,
) -> BenchResult<tokio::task::JoinHandle<()>> {
    let mut request = client.get(url);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let response = request.send().await.map_err(|e| format!("stream: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("stream refused: {}", response.status()));
    }
    Ok(tokio::spawn(async move {
        let mut body = response.bytes_stream();
        let mut reader = sse::FrameReader::default();
        while let Some(Ok(chunk)) = body.next().await {
            reader.push(&chunk);
            while let Some(frame) = reader.next_frame() {
                if frame.event.as_deref() != Some("agreement_created") {
                    continue;
                }
                let at = Instant::now();
                let id = frame.id.as_deref().and_then(|id| id.trim().parse().ok()).unwrap_or(0);
                let data: Value = serde_json::from_str(&frame.data).unwrap_or(Value::Null);
                let agreement = data["data"]["agreement"]["id"].as_str().unwrap_or("").to_owned();
                last_seen.store(id, Ordering::Relaxed);
                if arrivals.send((agreement, at, id)).is_err() {
                    return;
                }
            }
        }
    }))
}

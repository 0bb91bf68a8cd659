//! Middleware every API request passes: the cross-site check on writes, the per-person write
//! limit, the body limit, the request timeout and `Cache-Control: no-store`.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::super::auth::{SessionAuth, AUTH_KEY};
use super::super::state::AppState;
use crate::error::Error;

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a browser says the request was made by another site's page. `Sec-Fetch-Site` is
/// sent by every current browser; older ones send `Origin` on cross-origin writes. Neither
/// header (a non-browser client) cannot be a forged browser request.
fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: the person typed or bookmarked it; `same-origin`: our own page.
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return false };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest);
    origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host)
}

/// Refuses writes a page of another site makes the browser send, such as a hidden form that
/// would sign the visitor in to an account the attacker chose (login CSRF).
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    if is_write(request.method()) && is_cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site write");
        return Error::CrossSite.into_response();
    }
    next.run(request).await
}

/// Takes one write from the signed-in person's allowance. Requests without a session pass:
/// their handler answers 401.
pub async fn limit_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    take_write(&state.limits.writes, request, next).await
}

/// Takes one live write (typing, presence) from the person's allowance for those.
pub async fn limit_live_writes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    take_write(&state.limits.live_writes, request, next).await
}

async fn take_write(limit: &crate::limits::WriteLimit, request: Request, next: Next) -> Response {
    if is_write(request.method()) {
        if let Some(session) = request.extensions().get::<Session>() {
            if let Ok(Some(auth)) = session.get::<SessionAuth>(AUTH_KEY).await {
                if let Err(refused) = limit.take(auth.user_id) {
                    return refused.into_response();
                }
            }
        }
    }
    next.run(request).await
}

/// Answers 413 at once for a body announced larger than the limit. Bodies without a length
/// are cut at the same limit when read (`DefaultBodyLimit`), which also answers 413.
pub async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config.body_limit;
    let announced =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        return Error::PayloadTooLarge { limit: Some(limit) }.into_response();
    }
    next.run(request).await
}

/// Answers 408 when a request's answer has not started within the timeout (a body sent a
/// byte at a time, say). An event stream's answer starts at once, so streams are not cut.
pub async fn time_out(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = Duration::from_secs(state.config.request_timeout_secs.max(1));
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("request timed out");
            Error::RequestTimeout.into_response()
        }
    }
}

/// Counts and times each answered request by its route (`telemetry::http_request`).
pub async fn measure(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = request.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    crate::telemetry::http_request(&route, &method, response.status().as_u16(), started.elapsed());
    response
}

/// Personal data must not stay in shared or browser caches.
pub async fn no_store(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let is_stream =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    // The contract gives the event stream `no-cache`; `no-store` is added, never dropped.
    let policy = if is_stream { "no-cache, no-store" } else { "no-store" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (header::HeaderName::from_static(k), HeaderValue::from_static(v))).collect()
    }

    #[test]
    fn cross_site_is_told_by_fetch_metadata_then_by_origin() {
        assert!(!is_cross_site(&headers(&[])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("origin", "http://tandem.example"), ("host", "tandem.example")])));
        assert!(!is_cross_site(&headers(&[
            ("origin", "https://Tandem.example:8443"),
            ("host", "tandem.example:8443")
        ])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "tandem.example")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "tandem.example")])));
    }
}

//! The `X-Version` check every JSON route makes (contract section 1).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tandem_protocol::{API_VERSION, VERSION_HEADER};

use crate::error::Error;

/// Answers 400 when `X-Version` is missing or is not the supported API version.
pub async fn require_api_version(request: Request, next: Next) -> Result<Response, Error> {
    match request.headers().get(VERSION_HEADER) {
        None => Err(Error::BadRequest("`x-version` header is missing".into())),
        Some(value) if value.as_bytes() == API_VERSION.as_bytes() => Ok(next.run(request).await),
        Some(value) => Err(Error::BadRequest(format!(
            "`x-version` header value {:?} is not supported; expected {API_VERSION}",
            String::from_utf8_lossy(value.as_bytes())
        ))),
    }
}

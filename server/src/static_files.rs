//! The built web app, served at `/` with a fallback to `index.html` for client-side routes.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dir`. Unknown paths get `index.html` (200) so deep links reach the router; the
/// HTML is never cached, while Trunk's hashed asset names make the rest safe to cache.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    if !index.exists() {
        tracing::warn!(path = %index.display(), "web app not built: `/` will answer 404 (run `make run`)");
    }
    let files = ServeDir::new(dir).fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(CompressionLayer::new())
}

//! The built web app, served at `/` with a fallback to `index.html` for client-side routes.
//!
//! Trunk names every asset by its content hash, so assets may be cached for good; the HTML
//! that names them must always be revalidated. `make web` writes `.br` and `.gz` copies of
//! the assets at the highest compression, which are served as they are (no compression work
//! per request); anything without a copy is compressed on the fly.

use std::path::Path;

use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::Response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// HTML is revalidated on every load; hashed assets are cached for good.
async fn cache_policy(mut response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let ok = response.status().is_success();
    let policy = if is_html || !ok { REVALIDATE } else { FOREVER };
    response.headers_mut().insert(header::CACHE_CONTROL, policy);
    response
}

/// Serves `dir`. Unknown paths get `index.html` (200) so deep links reach the router.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = dir.join("index.html");
    if !index.exists() {
        tracing::warn!(path = %index.display(), "web app not built: `/` will answer 404 (run `make run`)");
    }
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(index).precompressed_br().precompressed_gzip());
    Router::new().fallback_service(files).layer(map_response(cache_policy)).layer(CompressionLayer::new())
}

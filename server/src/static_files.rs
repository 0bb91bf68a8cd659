//! The built web app, served at `/` with a fallback to `index.html` for client-side routes.
//!
//! The web app is three apps (the repository's `docs/architecture.md`, "Web app"): the main
//! one, `index.html` and its files at the top of `dist/`, the coaching session page's one in
//! `dist/session/` (its files at `/session/…`) and the account pages' one in
//! `dist/accounts/` (its files at `/accounts/…`). The session page's paths
//! ([`SESSION_PAGES`]) get the session app's HTML, the account pages' ([`ACCOUNT_PAGES`]) the
//! accounts app's; every other unknown path the main one's.
//!
//! Trunk names every asset by its content hash, so assets may be cached for good; the HTML
//! that names them must always be revalidated. `make web` writes `.br` and `.gz` copies of
//! the assets at the highest compression, which are served as they are (no compression work
//! per request); anything without a copy is compressed on the fly.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::Response;
use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The folder of the account pages' app in `dist/`, served at `/accounts/`.
pub const ACCOUNTS_DIR: &str = "accounts";

/// The folder of the coaching session page's app in `dist/`, served at `/session/`.
pub const SESSION_DIR: &str = "session";

/// The coaching session page, in axum's path syntax: the web app's route of `Part::Session`
/// (`src/routes.rs`), also with a trailing slash. Any id gets the session app, which says
/// "Page not found" for one that is not a session's.
pub const SESSION_PAGES: [&str; 1] = ["/coaching-sessions/{id}"];

/// The account pages, in axum's path syntax: the web app's routes of `Part::Accounts`
/// (`src/routes.rs`), one segment per `{…}` as there, each also with a trailing slash (the
/// web app's router ignores one). The two lists must agree: a path in only one of them loads
/// the other app, which shows "Page not found".
pub const ACCOUNT_PAGES: [&str; 6] = [
    "/setup/{token}",
    "/forgot-password",
    "/reset-password/{token}",
    "/settings",
    "/organizations/{id}/members",
    "/admin/organizations",
];

/// The HTML pages of the three apps in `dir`: the main one's, the account pages' one's, the
/// session page's one's.
pub fn pages(dir: &Path) -> [PathBuf; 3] {
    [dir.join("index.html"), dir.join(ACCOUNTS_DIR).join("index.html"), dir.join(SESSION_DIR).join("index.html")]
}

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

/// An HTML page, sent as its precompressed copy when the browser takes it.
fn page(html: PathBuf) -> ServeFile {
    ServeFile::new(html).precompressed_br().precompressed_gzip()
}

/// Serves `dir`. The session page gets the session app's HTML, the account pages the
/// accounts app's, other unknown paths `index.html` (200), so deep links reach each app's
/// router.
pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let [index, accounts, session] = pages(dir);
    for (html, what) in [(&index, "`/`"), (&accounts, "the account pages"), (&session, "the session page")] {
        if !html.exists() {
            tracing::warn!(path = %html.display(), "web app not built: {what} will answer 404 (run `make run`)");
        }
    }
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(page(index));
    let apps = [(&ACCOUNT_PAGES[..], page(accounts)), (&SESSION_PAGES[..], page(session))];
    let pages = apps.into_iter().fold(Router::new(), |router, (paths, html)| {
        paths.iter().fold(router, |router, path| {
            router.route_service(path, html.clone()).route_service(&format!("{path}/"), html.clone())
        })
    });
    pages.fallback_service(files).layer(map_response(cache_policy)).layer(CompressionLayer::new())
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    use super::*;

    /// A `dist/` with the three apps' pages and one file of each app.
    fn dist() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tandem-static-{}", uuid::Uuid::new_v4()));
        let (accounts, session) = (dir.join(ACCOUNTS_DIR), dir.join(SESSION_DIR));
        let written = std::fs::create_dir_all(&accounts)
            .and_then(|()| std::fs::create_dir_all(&session))
            .and_then(|()| std::fs::write(dir.join("index.html"), "main app"))
            .and_then(|()| std::fs::write(dir.join("app-1.js"), "main js"))
            .and_then(|()| std::fs::write(accounts.join("index.html"), "accounts app"))
            .and_then(|()| std::fs::write(accounts.join("accounts-1.js"), "accounts js"))
            .and_then(|()| std::fs::write(session.join("index.html"), "session app"))
            .and_then(|()| std::fs::write(session.join("session-1.js"), "session js"));
        assert!(written.is_ok(), "{written:?}");
        dir
    }

    /// Status, body and cache policy of `GET path`.
    async fn get(dir: &Path, path: &str) -> (StatusCode, String, String) {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = router::<()>(dir).oneshot(request).await.expect("infallible");
        let status = response.status();
        let cache =
            response.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
        (status, String::from_utf8_lossy(&body).into_owned(), cache)
    }

    #[tokio::test]
    async fn a_session_page_gets_the_session_app_with_any_id() {
        let dir = dist();
        let id = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
        for path in [
            format!("/coaching-sessions/{id}"),
            format!("/coaching-sessions/{id}/"),
            format!("/coaching-sessions/{id}?debug=sse"),
            "/coaching-sessions/not-an-id".to_owned(),
            "/coaching-sessions/x/".to_owned(),
        ] {
            assert_eq!(get(&dir, &path).await, (StatusCode::OK, "session app".into(), "no-cache".into()), "{path}");
        }
        for path in ["/coaching-sessions", "/coaching-sessions/", "/coaching-sessions/x/notes", "/session/nothing-here"]
        {
            assert_eq!(get(&dir, path).await, (StatusCode::OK, "main app".into(), "no-cache".into()), "{path}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn the_account_pages_get_the_accounts_app_and_every_other_page_the_main_one() {
        let dir = dist();
        let id = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
        for path in [
            "/setup/Zm9vYmFy".to_owned(),
            "/forgot-password".to_owned(),
            "/reset-password/Zm9vYmFy".to_owned(),
            "/settings".to_owned(),
            format!("/organizations/{id}/members"),
            "/admin/organizations".to_owned(),
            "/settings?from=menu".to_owned(),
            "/settings/".to_owned(),
            "/setup/Zm9vYmFy/".to_owned(),
        ] {
            assert_eq!(get(&dir, &path).await, (StatusCode::OK, "accounts app".into(), "no-cache".into()), "{path}");
        }
        for path in [
            "/",
            "/dashboard",
            "/login?next=%2Fsettings",
            "/actions",
            "/setup",
            "/setup/a/b",
            "/settings/more",
            "/organizations",
            "/accounts/nothing-here",
        ] {
            assert_eq!(get(&dir, path).await, (StatusCode::OK, "main app".into(), "no-cache".into()), "{path}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn each_app_s_files_are_served_and_kept_for_good() {
        let dir = dist();
        let forever = "public, max-age=31536000, immutable".to_owned();
        assert_eq!(get(&dir, "/app-1.js").await, (StatusCode::OK, "main js".into(), forever.clone()));
        assert_eq!(get(&dir, "/accounts/accounts-1.js").await, (StatusCode::OK, "accounts js".into(), forever.clone()));
        assert_eq!(get(&dir, "/accounts/").await, (StatusCode::OK, "accounts app".into(), "no-cache".into()));
        assert_eq!(get(&dir, "/session/session-1.js").await, (StatusCode::OK, "session js".into(), forever));
        assert_eq!(get(&dir, "/session/").await, (StatusCode::OK, "session app".into(), "no-cache".into()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! Security headers on every response: a Content Security Policy that the built web app
//! passes, no framing, no MIME sniffing, a referrer policy, and HSTS in production.
//!
//! Trunk's loader is an inline `<script type="module">` in each app's page (`index.html`,
//! `accounts/index.html` of the account pages' app and `session/index.html` of the session
//! page's, see [`crate::static_files`]), so the policy names the SHA-256 of each inline script
//! found in them when the server starts, rather than allowing inline scripts at large. One
//! policy serves every page: each may run only the apps' loaders, which load nothing but the
//! apps' own files.

use std::path::Path;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::static_files;

/// The headers to add, computed once.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: bool,
}

/// The contents of the inline `<script>` elements of an HTML page (those without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else { break };
        if !tag.contains("src=") {
            scripts.push(&body_and_more[..close]);
        }
        rest = &body_and_more[close..];
    }
    scripts
}

/// `'sha256-…'` of a script's text, as CSP wants it.
fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// The policy for pages whose HTML is `pages`; `connect` adds origins the app may call.
pub fn content_security_policy(pages: &[&str], connect: &[String]) -> String {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    for hash in pages.iter().flat_map(|html| inline_scripts(html)).map(script_hash) {
        if !script_src.contains(&hash) {
            script_src.push(hash);
        }
    }
    let mut connect_src = vec!["'self'".to_owned()];
    connect_src.extend(connect.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src {}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        script_src.join(" "),
        connect_src.join(" ")
    )
}

impl SecurityHeaders {
    /// The headers for the web app in `static_dir` (every app's page).
    pub fn for_app(static_dir: &Path, connect: &[String], production: bool) -> Self {
        let pages = static_files::pages(static_dir).map(|page| std::fs::read_to_string(page).unwrap_or_default());
        let policy = content_security_policy(&pages.each_ref().map(String::as_str), connect);
        let csp = HeaderValue::from_str(&policy).unwrap_or_else(|_| {
            tracing::warn!("the Content-Security-Policy has characters a header cannot carry; sending a strict one");
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'")
        });
        SecurityHeaders { csp, hsts: production }
    }
}

/// Adds the headers to a response.
pub async fn add(State(headers): State<Arc<SecurityHeaders>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let out = response.headers_mut();
    out.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    out.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if headers.hsts {
        out.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<head><script type="module">import init from '/app.js';
init('/app_bg.wasm');</script><script src="/x.js"></script></head>"#;
        assert_eq!(inline_scripts(html), vec!["import init from '/app.js';\ninit('/app_bg.wasm');"]);
        let policy = content_security_policy(&[html], &["http://localhost:4000".into()]);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1);
        assert!(policy.contains("connect-src 'self' http://localhost:4000;"));
        assert!(policy.ends_with("frame-ancestors 'none'"));
        assert_eq!(script_hash(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
    }

    #[test]
    fn the_loaders_of_both_apps_are_allowed_each_once() {
        let main = r#"<script type="module">import init from '/tandem-1.js';</script>"#;
        let accounts = r#"<script type="module">import init from '/accounts/accounts-1.js';</script>"#;
        let policy = content_security_policy(&[main, accounts], &[]);
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{policy}");
        for loader in [main, accounts] {
            assert!(policy.contains(&script_hash(inline_scripts(loader)[0])), "{policy}");
        }
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert_eq!(content_security_policy(&[main, main], &[]).matches("'sha256-").count(), 1, "one hash per loader");
        assert_eq!(
            content_security_policy(&[main, ""], &[]),
            content_security_policy(&[main], &[]),
            "an app not built"
        );
    }

    #[test]
    fn the_policy_is_read_from_every_page_in_the_static_folder() {
        let dir = std::env::temp_dir().join(format!("tandem-csp-{}", uuid::Uuid::new_v4()));
        let [index, accounts, session] = static_files::pages(&dir);
        let written = std::fs::create_dir_all(dir.join(static_files::ACCOUNTS_DIR))
            .and_then(|()| std::fs::create_dir_all(session.parent().unwrap_or(&dir)))
            .and_then(|()| std::fs::write(&index, "<script>main()</script>"))
            .and_then(|()| std::fs::write(&accounts, "<script>accounts()</script>"))
            .and_then(|()| std::fs::write(&session, "<script>session()</script>"));
        assert!(written.is_ok(), "{written:?}");
        let headers = SecurityHeaders::for_app(&dir, &[], false);
        let policy = headers.csp.to_str().unwrap_or_default();
        for loader in ["main()", "accounts()", "session()"] {
            assert!(policy.contains(&script_hash(loader)), "{loader}: {policy}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

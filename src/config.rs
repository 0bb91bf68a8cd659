//! Where the API lives. Set `TANDEM_API_BASE` when building to point the app at another
//! server (for example a reference backend on another port); the default is same-origin `/api`.

/// Base URL of the API, without a trailing slash.
pub fn api_base() -> &'static str {
    match option_env!("TANDEM_API_BASE") {
        Some(base) if !base.is_empty() => base.trim_end_matches('/'),
        _ => "/api",
    }
}

/// The absolute URL of an API path such as `/users/42`.
pub fn api_url(path: &str) -> String {
    format!("{}{}", api_base(), path)
}

/// Whether the API is on the page's own origin (the default `/api`).
pub fn api_is_same_origin() -> bool {
    api_base().starts_with('/')
}

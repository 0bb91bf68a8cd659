//! Tandem's extensions that the server turned out to lack [extension].
//!
//! The reference backend has no presence and no notes document: its answer to such a route
//! is 404, 405 or 501. The first such answer in a page marks the extension missing, and from
//! then on every call of it is answered here, as missing, without a request: the feature
//! is asked for once per page and then left alone, instead of filling the browser's console
//! with a failed request every few seconds.
//!
//! Only routes that exist for every session the person may open count (a 404 of an entity
//! route says the entity is gone, not that the route is): presence and the notes document.

use std::cell::Cell;

use super::ApiError;

/// An optional feature of Tandem's server, known by its routes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extension {
    /// `/coaching_sessions/{id}/presence`.
    Presence,
    /// `/coaching_sessions/{id}/notes/document` and what hangs under it.
    NotesDocument,
}

impl Extension {
    /// The extension a request path (query allowed) belongs to, if any.
    pub fn of_path(path: &str) -> Option<Extension> {
        let route = path.split('?').next().unwrap_or(path);
        let under_session = route.strip_prefix("/coaching_sessions/")?;
        let (_session, rest) = under_session.split_once('/')?;
        match rest {
            "presence" => Some(Extension::Presence),
            "notes/document" => Some(Extension::NotesDocument),
            _ if rest.starts_with("notes/document/") => Some(Extension::NotesDocument),
            _ => None,
        }
    }

    /// Its bit in [`MISSING`].
    fn bit(self) -> u8 {
        1 << self as u8
    }
}

thread_local! {
    /// The extensions found missing, one bit each.
    static MISSING: Cell<u8> = const { Cell::new(0) };
}

/// Whether this page already found `extension` missing.
pub fn is_missing(extension: Extension) -> bool {
    MISSING.with(|missing| missing.get() & extension.bit() != 0)
}

/// Answers a call to `path` as missing, without a request, once its extension is known to be.
pub fn refuse_known_missing(path: &str) -> Result<(), ApiError> {
    match Extension::of_path(path) {
        Some(extension) if is_missing(extension) => Err(ApiError::NotFound),
        _ => Ok(()),
    }
}

/// Notes the server's refusal of a call to `path`: a missing route of an extension marks it
/// missing for the rest of the page.
pub fn observe(path: &str, error: &ApiError) {
    if let (Some(extension), true) = (Extension::of_path(path), error.is_missing_route()) {
        MISSING.with(|missing| missing.set(missing.get() | extension.bit()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "/coaching_sessions/7c0a6f58-3f43-4a7e-9d2b-0f1b9cf1a001";

    #[test]
    fn the_extension_of_a_path_is_read_from_its_route_only() {
        assert_eq!(Extension::of_path(&format!("{SESSION}/presence")), Some(Extension::Presence));
        assert_eq!(Extension::of_path(&format!("{SESSION}/presence?tab=tab-1")), Some(Extension::Presence));
        assert_eq!(
            Extension::of_path(&format!("{SESSION}/notes/document?state_vector=AA")),
            Some(Extension::NotesDocument)
        );
        assert_eq!(Extension::of_path(&format!("{SESSION}/notes/document/awareness")), Some(Extension::NotesDocument));
        // Entity routes, whose 404 says the entity is gone.
        assert_eq!(Extension::of_path(SESSION), None);
        assert_eq!(Extension::of_path(&format!("{SESSION}/agenda")), None);
        assert_eq!(Extension::of_path("/notes?coaching_session_id=1"), None);
        assert_eq!(Extension::of_path("/presence"), None);
    }

    #[test]
    fn a_missing_route_is_asked_for_once_then_answered_here() {
        let presence = format!("{SESSION}/presence");
        assert_eq!(refuse_known_missing(&presence), Ok(()));
        // A failure that is not a missing route (offline, a server error) marks nothing.
        observe(&presence, &ApiError::Network("offline".into()));
        observe(&presence, &ApiError::Server(500));
        assert!(!is_missing(Extension::Presence));
        // The reference's 405 does.
        observe(&presence, &ApiError::from_response(405, "Method Not Allowed"));
        assert!(is_missing(Extension::Presence));
        assert_eq!(refuse_known_missing(&format!("{presence}?tab=x")), Err(ApiError::NotFound));
        // Other routes still go out.
        assert_eq!(refuse_known_missing(&format!("{SESSION}/notes/document")), Ok(()));
        assert_eq!(refuse_known_missing(SESSION), Ok(()));
    }
}

//! The secrets of setup and password-reset links: 256 random bits, handed out once in a link
//! and kept only as their SHA-256, so the database alone signs nobody in.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// What a link is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "text", rename_all = "lowercase")]
pub enum Purpose {
    /// An invitation (or a first administrator's link): choose a first password.
    Setup,
    /// Forgot password: choose a new one.
    Reset,
}

/// How long an invitation's setup link works.
pub const SETUP_VALID: chrono::Duration = chrono::Duration::days(7);
/// How long a password-reset link works.
pub const RESET_VALID: chrono::Duration = chrono::Duration::hours(1);

impl Purpose {
    /// How long a link of this purpose works.
    pub fn validity(self) -> chrono::Duration {
        match self {
            Purpose::Setup => SETUP_VALID,
            Purpose::Reset => RESET_VALID,
        }
    }

    /// The web app's page for it.
    pub fn page(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::Reset => "reset-password",
        }
    }
}

/// Length of a token in a link: 32 bytes in unpadded base64url.
pub const TOKEN_CHARS: usize = 43;

/// A fresh token and the hash to store.
pub fn new_token() -> (String, String) {
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let token = URL_SAFE_NO_PAD.encode(secret);
    let hash = hash(&token);
    (token, hash)
}

/// The stored form of a token from a link; `None` when it cannot be one of ours (so an
/// unknown or forged token costs no query).
pub fn stored_form(token: &str) -> Option<String> {
    let well_formed =
        token.len() == TOKEN_CHARS && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    well_formed.then(|| hash(token))
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_link_safe_and_stored_hashed() {
        let (token, stored) = new_token();
        let (other, _) = new_token();
        assert_ne!(token, other);
        assert_eq!(token.len(), TOKEN_CHARS);
        assert_eq!(stored_form(&token), Some(stored.clone()));
        assert_ne!(stored, token);
        assert_eq!(stored.len(), 64);
    }

    #[test]
    fn malformed_tokens_have_no_stored_form() {
        assert_eq!(stored_form(""), None);
        assert_eq!(stored_form("short"), None);
        assert_eq!(stored_form(&"a".repeat(44)), None);
        assert_eq!(stored_form(&format!("{}/", "a".repeat(42))), None);
        assert!(stored_form(&"a".repeat(43)).is_some());
    }
}

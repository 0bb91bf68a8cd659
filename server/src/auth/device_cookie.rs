//! Device cookies, as OWASP's "Slow Down Online Guessing Attacks with Device Cookies"
//! describes: a browser that signed in to an account gets a signed cookie naming that
//! account; later sign-ins to it from that browser are judged by their own failures, not by
//! what strangers tried. Without it, 11 wrong passwords from anywhere locked the real person
//! out for a minute, and 30 from one address locked out everyone behind it.
//!
//! The cookie is a random nonce and an HMAC-SHA256 of it and the account, under a key every
//! instance shares (kept in the database). It names no account in clear, is sent only to
//! the sign-in route, and a forged or other account's cookie counts as none.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The cookie's name.
pub const DEVICE_COOKIE: &str = "tandem_device";
/// How long a browser stays known: a year after its last sign-in.
const MAX_AGE_SECS: u64 = 365 * 24 * 3600;
/// Domain separation of what is signed, so the key signs nothing else by accident.
const CONTEXT: &[u8] = b"tandem device cookie v1\0";

/// One browser known to one account; its failed sign-ins are counted apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeviceId([u8; 16]);

impl DeviceId {
    /// A device of tests' own.
    #[cfg(test)]
    pub fn for_tests(n: u8) -> Self {
        DeviceId([n; 16])
    }
}

/// Issues and checks device cookies.
pub struct DeviceCookies {
    key: [u8; 32],
    /// Marked `Secure` (production, behind HTTPS).
    secure: bool,
}

/// The account an email names, as sign-ins compare it.
pub fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl DeviceCookies {
    pub fn new(key: [u8; 32], secure: bool) -> Self {
        DeviceCookies { key, secure }
    }

    fn mac(&self, nonce: &[u8; 16], email: &str) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(CONTEXT);
        mac.update(account_key(email).as_bytes());
        mac.update(b"\0");
        mac.update(nonce);
        mac
    }

    /// A `Set-Cookie` value for a browser that just signed in as `email`.
    pub fn issue(&self, email: &str) -> String {
        let mut nonce = [0u8; 16];
        argon2::password_hash::rand_core::RngCore::fill_bytes(&mut argon2::password_hash::rand_core::OsRng, &mut nonce);
        let tag = self.mac(&nonce, email).finalize().into_bytes();
        let value = format!("{}.{}", URL_SAFE_NO_PAD.encode(nonce), URL_SAFE_NO_PAD.encode(tag));
        let secure = if self.secure { "; Secure" } else { "" };
        format!("{DEVICE_COOKIE}={value}; Path=/api/login; Max-Age={MAX_AGE_SECS}; HttpOnly; SameSite=Strict{secure}")
    }

    /// The device of a `Cookie` header's device cookie, when it is one this server issued
    /// for `email`.
    pub fn verify(&self, cookie_header: &str, email: &str) -> Option<DeviceId> {
        cookie_header.split(';').filter_map(|pair| pair.trim().strip_prefix(DEVICE_COOKIE)?.strip_prefix('=')).find_map(
            |value| {
                let (nonce, tag) = value.split_once('.')?;
                let nonce: [u8; 16] = URL_SAFE_NO_PAD.decode(nonce).ok()?.try_into().ok()?;
                let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
                // Constant-time comparison.
                self.mac(&nonce, email).verify_slice(&tag).ok()?;
                Some(DeviceId(nonce))
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie_of(set_cookie: &str) -> String {
        set_cookie.split(';').next().unwrap().to_owned()
    }

    #[test]
    fn an_issued_cookie_is_known_for_its_account_only() {
        let cookies = DeviceCookies::new([7; 32], false);
        let set = cookies.issue("Sam@Tandem.demo");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/api/login"));
        assert!(!set.contains("Secure"));
        let header = format!("other=1; {}", cookie_of(&set));
        let device = cookies.verify(&header, " sam@tandem.demo ").expect("known for the same account");
        assert_eq!(cookies.verify(&header, "sam@tandem.demo"), Some(device));
        assert_eq!(cookies.verify(&header, "alex@tandem.demo"), None, "another account's cookie");
        let other_key = DeviceCookies::new([8; 32], false);
        assert_eq!(other_key.verify(&header, "sam@tandem.demo"), None, "signed with another key");
        assert_ne!(cookies.verify(&cookie_of(&cookies.issue("sam@tandem.demo")), "sam@tandem.demo"), Some(device));
        assert!(DeviceCookies::new([7; 32], true).issue("x@y").ends_with("; Secure"));
    }

    #[test]
    fn forged_or_mangled_cookies_are_none() {
        let cookies = DeviceCookies::new([7; 32], false);
        let real = cookie_of(&cookies.issue("sam@tandem.demo"));
        let (name_nonce, tag) = real.split_once('.').unwrap();
        let mut flipped = tag.as_bytes().to_vec();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let forged = format!("{name_nonce}.{}", String::from_utf8(flipped).unwrap());
        for header in [
            forged.as_str(),
            "tandem_device=",
            "tandem_device=abc",
            "tandem_device=AAAAAAAAAAAAAAAAAAAAAA.",
            "tandem_device=!!.!!",
            &format!("{name_nonce}.{tag}{tag}"),
            "",
        ] {
            assert_eq!(cookies.verify(header, "sam@tandem.demo"), None, "{header}");
        }
    }
}

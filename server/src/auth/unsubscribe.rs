//! One-click unsubscribe links: each names a person and a kind of mail, signed with a key
//! every instance shares, so a link works without a stored row and cannot be forged for
//! another person or another kind.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tandem_protocol::UserId;

/// The mails a person may turn off by link (the settings' switches; both reminders go
/// together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailSetting {
    SessionInvites,
    Reminders,
    ActionAssigned,
    ActionDigest,
}

impl MailSetting {
    const ALL: [MailSetting; 4] =
        [MailSetting::SessionInvites, MailSetting::Reminders, MailSetting::ActionAssigned, MailSetting::ActionDigest];

    fn code(self) -> u8 {
        match self {
            MailSetting::SessionInvites => 1,
            MailSetting::Reminders => 2,
            MailSetting::ActionAssigned => 3,
            MailSetting::ActionDigest => 4,
        }
    }

    /// The setting as mails and pages name it.
    pub const fn describe(self) -> &'static str {
        match self {
            MailSetting::SessionInvites => "session invitations",
            MailSetting::Reminders => "session reminders",
            MailSetting::ActionAssigned => "mails about actions assigned to you",
            MailSetting::ActionDigest => "the daily digest of actions due soon",
        }
    }
}

/// Bytes of the signature kept in a link (128 bits).
const SIGNATURE: usize = 16;

/// Signs and reads unsubscribe links.
pub struct UnsubscribeLinks {
    key: [u8; 32],
}

impl UnsubscribeLinks {
    pub fn new(key: [u8; 32]) -> Self {
        UnsubscribeLinks { key }
    }

    /// The token of `person`'s link for `setting`.
    pub fn token(&self, person: UserId, setting: MailSetting) -> String {
        let mut bytes = Vec::with_capacity(17 + SIGNATURE);
        bytes.extend_from_slice(person.as_uuid().as_bytes());
        bytes.push(setting.code());
        let signature = self.mac(&bytes).finalize().into_bytes();
        bytes.extend_from_slice(&signature[..SIGNATURE]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Who and what a token names, when it is one this server signed.
    pub fn read(&self, token: &str) -> Option<(UserId, MailSetting)> {
        let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).ok()?;
        if bytes.len() != 17 + SIGNATURE {
            return None;
        }
        let (signed, signature) = bytes.split_at(17);
        // `verify_truncated_left` compares in constant time.
        self.mac(signed).verify_truncated_left(signature).ok()?;
        let person = UserId::from_uuid(uuid::Uuid::from_slice(&signed[..16]).ok()?);
        let setting = MailSetting::ALL.into_iter().find(|setting| setting.code() == signed[16])?;
        Some((person, setting))
    }

    fn mac(&self, bytes: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length: a 32-byte one cannot be refused.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!());
        mac.update(b"tandem-unsubscribe:");
        mac.update(bytes);
        mac
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back_and_a_changed_one_does_not() {
        let links = UnsubscribeLinks::new([7; 32]);
        let person = UserId::from_uuid(uuid::Uuid::new_v4());
        let token = links.token(person, MailSetting::Reminders);
        assert_eq!(links.read(&token), Some((person, MailSetting::Reminders)));
        let mut forged = URL_SAFE_NO_PAD.decode(&token).unwrap();
        forged[16] = MailSetting::ActionDigest.code();
        assert_eq!(links.read(&URL_SAFE_NO_PAD.encode(&forged)), None);
        assert_eq!(UnsubscribeLinks::new([8; 32]).read(&token), None);
        assert_eq!(links.read("not a token"), None);
        assert_eq!(links.read(""), None);
    }
}

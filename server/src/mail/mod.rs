//! Mail: what a mail says ([`Mail`], written by [`templates`]) and how it leaves
//! ([`transport`]). Mails are queued in the database in the transaction of the change that
//! causes them and sent by the mailer (`engine/mailer.rs`), so a slow or failing mail server
//! never slows or fails a request.

pub mod templates;
pub mod transport;

use std::sync::Arc;

use lettre::message::Mailbox;
use tokio::sync::Notify;

pub use transport::{is_address, MailError, Transport};

/// What a mail is about; stored with it (and the kind a person may one day turn off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Invitation,
    PasswordReset,
}

impl MailKind {
    /// Every kind.
    pub const ALL: [MailKind; 2] = [MailKind::Invitation, MailKind::PasswordReset];

    /// Reads the stored spelling.
    pub fn parse(stored: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|kind| kind.as_str() == stored)
    }

    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::PasswordReset => "password_reset",
        }
    }
}

/// One mail to one person, with a plain-text and an HTML part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub kind: MailKind,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What the mail queue's sender needs besides the database: where mails go, who they are
/// from, and a bell that wakes it when this instance queued one.
pub struct Outgoing {
    pub transport: Transport,
    pub from: Mailbox,
    pub wake: Arc<Notify>,
}

impl Outgoing {
    /// The transport `--smtp-url` (or `--mail-dir`) names, sending from `--mail-from`.
    pub fn from_config(config: &crate::Config) -> Result<Self, MailError> {
        Ok(Outgoing {
            transport: Transport::new(config.smtp_url.as_deref(), config.mail_dir.clone())?,
            from: transport::mailbox(&config.mail_from)?,
            wake: Arc::new(Notify::new()),
        })
    }
}

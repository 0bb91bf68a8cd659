//! Mail: what a mail says ([`Mail`], written by [`templates`]) and how it leaves
//! ([`transport`]). Mails are queued in the database in the transaction of the change that
//! causes them and sent by the mailer (`engine/mailer.rs`), so a slow or failing mail server
//! never slows or fails a request.

pub mod calendar;
pub mod templates;
pub mod transport;

use std::sync::Arc;

use lettre::message::Mailbox;
use tokio::sync::Notify;

pub use transport::{is_address, MailError, Transport};

/// What a mail is about; stored with it. The last four are ones a person may turn off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Invitation,
    PasswordReset,
    /// A session scheduled, moved or cancelled, with its calendar file.
    SessionInvite,
    Reminder,
    ActionAssigned,
    ActionDigest,
}

impl MailKind {
    /// Every kind.
    pub const ALL: [MailKind; 6] = [
        MailKind::Invitation,
        MailKind::PasswordReset,
        MailKind::SessionInvite,
        MailKind::Reminder,
        MailKind::ActionAssigned,
        MailKind::ActionDigest,
    ];

    /// Reads the stored spelling.
    pub fn parse(stored: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|kind| kind.as_str() == stored)
    }

    /// The stored spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::PasswordReset => "password_reset",
            MailKind::SessionInvite => "session_invite",
            MailKind::Reminder => "reminder",
            MailKind::ActionAssigned => "action_assigned",
            MailKind::ActionDigest => "action_digest",
        }
    }

    /// Whether a person may turn this kind off (and its mails carry an unsubscribe link).
    pub const fn optional(self) -> bool {
        !matches!(self, MailKind::Invitation | MailKind::PasswordReset)
    }
}

/// One mail to one person, with a plain-text and an HTML part, and maybe a calendar file
/// and a one-click unsubscribe address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub kind: MailKind,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// An iCalendar object (its `METHOD` says REQUEST or CANCEL), sent both as the mail's
    /// calendar part and as an `invite.ics` attachment.
    pub calendar: Option<String>,
    /// Where one click turns this kind of mail off (the `List-Unsubscribe` header).
    pub unsubscribe: Option<String>,
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

//! How mail leaves: an SMTP server (lettre, with rustls), or, when none is configured, `.eml`
//! files in a folder (lettre's file transport) with their links logged, so one machine can
//! try every mail flow.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Mail;

/// How long one SMTP conversation may take before the send counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a mail could not be sent (or the transport not be set up).
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("bad address {address:?}: {reason}")]
    Address { address: String, reason: String },
    #[error("cannot build the mail: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("bad --smtp-url: {0}")]
    Url(String),
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    #[error("cannot write the mail file: {0}")]
    File(#[from] lettre::transport::file::Error),
    #[error("bad calendar part: {0}")]
    Calendar(String),
    #[error("cannot create the mail folder {folder}: {reason}")]
    Folder { folder: String, reason: String },
}

/// Where mails go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder { transport: AsyncFileTransport<Tokio1Executor>, folder: PathBuf },
}

impl Transport {
    /// The SMTP server of `smtp_url` when given, else the folder.
    pub fn new(smtp_url: Option<&str>, folder: PathBuf) -> Result<Self, MailError> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|error| MailError::Url(error.to_string()))?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                Ok(Transport::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(&folder).map_err(|error| MailError::Folder {
                    folder: folder.display().to_string(),
                    reason: error.to_string(),
                })?;
                Ok(Transport::Folder { transport: AsyncFileTransport::new(&folder), folder })
            }
        }
    }

    /// Sends one mail from `from`.
    pub async fn send(&self, from: &Mailbox, mail: &Mail) -> Result<(), MailError> {
        let message = message(from, mail)?;
        match self {
            Transport::Smtp(transport) => {
                transport.send(message).await?;
            }
            Transport::Folder { transport, folder } => {
                let id = transport.send(message).await?;
                let links = links(&mail.text).join(" ");
                tracing::info!(
                    to = %mail.to,
                    subject = %mail.subject,
                    file = %folder.join(format!("{id}.eml")).display(),
                    "mail written (no --smtp-url): {links}"
                );
            }
        }
        Ok(())
    }
}

/// Parses a sender such as `Tandem <tandem@example.com>`.
pub fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address.parse().map_err(|error: lettre::address::AddressError| MailError::Address {
        address: address.to_owned(),
        reason: error.to_string(),
    })
}

/// Whether `address` is a well-formed email address (as SMTP will take it).
pub fn is_address(address: &str) -> bool {
    address.parse::<lettre::Address>().is_ok()
}

fn message(from: &Mailbox, mail: &Mail) -> Result<Message, MailError> {
    let mut builder = Message::builder().from(from.clone()).to(mailbox(&mail.to)?).subject(mail.subject.clone());
    if let Some(address) = &mail.unsubscribe {
        // RFC 8058: mail clients offer "Unsubscribe" and POST to the address themselves.
        builder = builder
            .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{address}>")))
            .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click".to_owned()));
    }
    let text = MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone());
    let Some(calendar) = &mail.calendar else {
        return Ok(builder.multipart(text)?);
    };
    // Calendar apps read the `text/calendar` part of the alternatives (Outlook, Gmail), or
    // the attached file (Apple Mail, most others): both carry the same object.
    let method = calendar_method(calendar);
    let part_type = ContentType::parse(&format!("text/calendar; charset=UTF-8; method={method}"))
        .map_err(|error| MailError::Calendar(error.to_string()))?;
    let file_type = ContentType::parse("application/ics").map_err(|error| MailError::Calendar(error.to_string()))?;
    let alternatives = text.singlepart(SinglePart::builder().content_type(part_type).body(calendar.clone()));
    let attachment = Attachment::new("invite.ics".to_owned()).body(calendar.clone(), file_type);
    Ok(builder.multipart(MultiPart::mixed().multipart(alternatives).singlepart(attachment))?)
}

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");

/// The `METHOD` of an iCalendar object (`PUBLISH` when it names none).
fn calendar_method(calendar: &str) -> &str {
    calendar
        .lines()
        .find_map(|line| line.strip_prefix("METHOD:"))
        .map(str::trim)
        .filter(|method| method.chars().all(|c| c.is_ascii_alphabetic()))
        .unwrap_or("PUBLISH")
}

/// The web addresses in a text.
fn links(text: &str) -> Vec<&str> {
    text.split_whitespace().filter(|word| word.starts_with("http://") || word.starts_with("https://")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::MailKind;

    fn mail() -> Mail {
        Mail {
            kind: MailKind::Invitation,
            to: "cy@example.com".into(),
            subject: "Hello".into(),
            text: "Open https://t.example/setup/abc now".into(),
            html: "<p>Open</p>".into(),
            calendar: None,
            unsubscribe: None,
        }
    }

    #[test]
    fn a_calendar_mail_has_the_calendar_part_the_attachment_and_the_unsubscribe_headers() {
        let calendar = "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n".to_owned();
        let with_calendar =
            Mail { calendar: Some(calendar), unsubscribe: Some("https://t.example/unsubscribe/x".into()), ..mail() };
        let formatted =
            String::from_utf8(message(&mailbox("t@example.com").unwrap(), &with_calendar).unwrap().formatted())
                .unwrap();
        assert!(formatted.contains("List-Unsubscribe: <https://t.example/unsubscribe/x>"));
        assert!(formatted.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(formatted.contains("method=CANCEL"));
        assert!(formatted.contains("filename=\"invite.ics\""));
        assert!(formatted.contains("multipart/mixed"));
        let plain =
            String::from_utf8(message(&mailbox("t@example.com").unwrap(), &mail()).unwrap().formatted()).unwrap();
        assert!(!plain.contains("List-Unsubscribe") && !plain.contains("multipart/mixed"));
    }

    #[test]
    fn the_calendar_method_is_read_from_the_object() {
        assert_eq!(calendar_method("BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n"), "REQUEST");
        assert_eq!(calendar_method("BEGIN:VCALENDAR\r\n"), "PUBLISH");
        assert_eq!(calendar_method("METHOD:RE;QUEST\r\n"), "PUBLISH");
    }

    #[test]
    fn addresses_are_checked_by_lettre() {
        assert!(is_address("cy@example.com"));
        assert!(!is_address("cy@"));
        assert!(!is_address("not an address"));
        assert!(mailbox("Tandem <tandem@example.com>").is_ok());
    }

    #[test]
    fn links_are_found_in_the_text() {
        assert_eq!(links(&mail().text), vec!["https://t.example/setup/abc"]);
    }

    #[tokio::test]
    async fn without_smtp_a_mail_becomes_an_eml_file_with_both_parts() {
        let folder = std::env::temp_dir().join(format!("tandem-mail-{}", uuid::Uuid::new_v4()));
        let transport = Transport::new(None, folder.clone()).unwrap();
        transport.send(&mailbox("Tandem <t@example.com>").unwrap(), &mail()).await.unwrap();
        let files: Vec<_> = std::fs::read_dir(&folder).unwrap().flatten().collect();
        assert_eq!(files.len(), 1);
        let written = std::fs::read_to_string(files[0].path()).unwrap();
        assert!(written.contains("To: cy@example.com"));
        assert!(written.contains("text/plain") && written.contains("text/html"));
        std::fs::remove_dir_all(folder).unwrap();
    }

    #[test]
    fn a_bad_smtp_url_is_refused() {
        assert!(matches!(Transport::new(Some("ftp://x"), PathBuf::from("unused")), Err(MailError::Url(_))));
    }
}

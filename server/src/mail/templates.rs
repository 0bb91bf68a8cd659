//! The words of each mail, as plain text and as HTML (every value escaped).

use super::{Mail, MailKind};

/// Who a mail goes to and how to greet them.
pub struct Recipient<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
}

/// The invitation of a new member: who invited them, to which organization, and the link at
/// which they choose a password.
pub fn invitation(to: &Recipient, inviter: &str, organization: &str, link: &str, valid_days: i64) -> Mail {
    let subject = format!("{inviter} invited you to {organization} on Tandem");
    let text = format!(
        "Hello {first},\n\n{inviter} invited you to {organization} on Tandem, where coach and coachee \
         keep their sessions, actions and goals together.\n\nChoose your password here:\n{link}\n\n\
         The link works once, for {valid_days} days. If it has expired, ask {inviter} for a new invitation.\n",
        first = to.first_name,
    );
    let html = page(
        &format!("Hello {},", escape(to.first_name)),
        &format!(
            "{} invited you to {} on Tandem, where coach and coachee keep their sessions, actions and goals together.",
            escape(inviter),
            escape(organization)
        ),
        "Choose your password",
        link,
        &format!(
            "The link works once, for {valid_days} days. If it has expired, ask {} for a new invitation.",
            escape(inviter)
        ),
    );
    Mail { kind: MailKind::Invitation, to: to.email.to_owned(), subject, text, html }
}

/// A password-reset link, valid for `valid_minutes`.
pub fn password_reset(to: &Recipient, link: &str, valid_minutes: i64) -> Mail {
    let subject = "Reset your Tandem password".to_owned();
    let text = format!(
        "Hello {first},\n\nSomeone (we hope you) asked to reset your Tandem password. Choose a new one here:\n\
         {link}\n\nThe link works once, for {valid_minutes} minutes. If you did not ask for it, ignore this \
         mail: your password stays as it is.\n",
        first = to.first_name,
    );
    let html = page(
        &format!("Hello {},", escape(to.first_name)),
        "Someone (we hope you) asked to reset your Tandem password.",
        "Choose a new password",
        link,
        &format!(
            "The link works once, for {valid_minutes} minutes. If you did not ask for it, ignore this mail: \
             your password stays as it is."
        ),
    );
    Mail { kind: MailKind::PasswordReset, to: to.email.to_owned(), subject, text, html }
}

/// A short HTML mail: a greeting, a paragraph, one button-like link and a closing line.
fn page(greeting: &str, lead: &str, action: &str, link: &str, closing: &str) -> String {
    let link = escape(link);
    format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\">\
         <p>{greeting}</p><p>{lead}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;\
         border-radius:6px;text-decoration:none\">{action}</a></p>\
         <p style=\"font-size:14px\">Or open this address: <br>{link}</p>\
         <p style=\"font-size:14px;color:#4b5563\">{closing}</p></body></html>"
    )
}

/// Text made safe to put in HTML, inside elements and in quoted attributes.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_carries_the_link_in_both_parts_and_escapes_names() {
        let to = Recipient { email: "cy@example.com", first_name: "Cy <b>" };
        let mail = invitation(&to, "Ada & Co", "North\"wind", "https://t.example/setup/abc", 7);
        assert_eq!(mail.to, "cy@example.com");
        assert!(mail.text.contains("https://t.example/setup/abc"));
        assert!(mail.html.contains("href=\"https://t.example/setup/abc\""));
        assert!(mail.html.contains("Cy &lt;b&gt;") && !mail.html.contains("Cy <b>"));
        assert!(mail.html.contains("Ada &amp; Co") && mail.html.contains("North&quot;wind"));
        assert!(mail.subject.contains("Ada & Co"));
    }

    #[test]
    fn a_reset_mail_says_how_long_the_link_works() {
        let to = Recipient { email: "cy@example.com", first_name: "Cy" };
        let mail = password_reset(&to, "https://t.example/reset-password/abc", 60);
        assert_eq!(mail.kind, MailKind::PasswordReset);
        assert!(mail.text.contains("60 minutes") && mail.html.contains("60 minutes"));
    }
}

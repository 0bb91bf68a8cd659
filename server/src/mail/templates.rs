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
    Mail { kind: MailKind::Invitation, to: to.email.to_owned(), subject, text, html, calendar: None, unsubscribe: None }
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
    Mail {
        kind: MailKind::PasswordReset,
        to: to.email.to_owned(),
        subject,
        text,
        html,
        calendar: None,
        unsubscribe: None,
    }
}

/// A short HTML mail: a greeting, a paragraph, one button-like link and a closing line.
fn page(greeting: &str, lead: &str, action: &str, link: &str, closing: &str) -> String {
    page_with(greeting, lead, "", action, link, closing, None)
}

/// [`page`] with more (already escaped) HTML after the lead, and an unsubscribe footer.
fn page_with(
    greeting: &str,
    lead: &str,
    more: &str,
    action: &str,
    link: &str,
    closing: &str,
    unsubscribe: Option<&Unsubscribe>,
) -> String {
    let link = escape(link);
    let footer = unsubscribe.map_or(String::new(), |unsubscribe| {
        format!(
            "<p style=\"font-size:12px;color:#6b7280\">You get this mail because {} is on in your Tandem settings. \
             <a href=\"{}\" style=\"color:#6b7280\">Turn these mails off</a>.</p>",
            escape(unsubscribe.what),
            escape(&unsubscribe.url)
        )
    });
    format!(
        "<!doctype html><html><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\">\
         <p>{greeting}</p><p>{lead}</p>{more}\
         <p><a href=\"{link}\" style=\"display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;\
         border-radius:6px;text-decoration:none\">{action}</a></p>\
         <p style=\"font-size:14px\">Or open this address: <br>{link}</p>\
         <p style=\"font-size:14px;color:#4b5563\">{closing}</p>{footer}</body></html>"
    )
}

/// How a mail a person may turn off says so: which setting sends it and the one-click link.
pub struct Unsubscribe {
    /// The setting, as the footer names it ("session invitations").
    pub what: &'static str,
    pub url: String,
}

impl Unsubscribe {
    /// The plain-text footer.
    fn text(&self) -> String {
        format!(
            "\nYou get this mail because {} is on in your Tandem settings. Turn these mails off: {}\n",
            self.what, self.url
        )
    }
}

/// What happened to a session an invite is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionChange {
    Scheduled,
    Moved,
    Cancelled,
}

/// A session as a mail shows it: the time in the reader's zone, and where to go.
pub struct SessionLines<'a> {
    /// The time in the reader's zone ([`when`]).
    pub when: &'a str,
    pub minutes: i32,
    pub title: Option<&'a str>,
    /// The other person in it.
    pub with: &'a str,
    pub page: &'a str,
    pub meeting_url: Option<&'a str>,
}

/// `starts` in `zone` (an IANA name; UTC when unknown), as mails show it: "Mon 14 Dec 2026,
/// 10:30 (Europe/Berlin)".
pub fn when(starts: chrono::DateTime<chrono::Utc>, zone: &str) -> String {
    let zone_name = if zone.parse::<chrono_tz::Tz>().is_ok() { zone } else { "UTC" };
    let tz = zone_name.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
    format!("{} ({zone_name})", starts.with_timezone(&tz).format("%a %-d %b %Y, %H:%M"))
}

/// A session scheduled, moved or cancelled by `actor`; the calendar file is added by the caller.
pub fn session_invite(
    to: &Recipient,
    change: SessionChange,
    actor: &str,
    session: &SessionLines,
    unsubscribe: Unsubscribe,
) -> Mail {
    let (subject, lead) = match change {
        SessionChange::Scheduled => (
            format!("Coaching session with {} on {}", session.with, session.when),
            format!(
                "{actor} scheduled a coaching session with {} for {} ({} minutes).",
                session.with, session.when, session.minutes
            ),
        ),
        SessionChange::Moved => (
            format!("Moved: coaching session with {}, now {}", session.with, session.when),
            format!(
                "{actor} changed your coaching session with {}. It is now {} ({} minutes).",
                session.with, session.when, session.minutes
            ),
        ),
        SessionChange::Cancelled => (
            format!("Cancelled: coaching session with {} on {}", session.with, session.when),
            format!("{actor} cancelled your coaching session with {} of {}.", session.with, session.when),
        ),
    };
    let mut details = Vec::new();
    if let Some(title) = session.title {
        details.push(format!("Title: {title}"));
    }
    if change != SessionChange::Cancelled {
        if let Some(meeting) = session.meeting_url {
            details.push(format!("Join: {meeting}"));
        }
        details.push("The attached calendar file adds it to your calendar, or updates it there.".to_owned());
    } else {
        details.push("The attached calendar file removes it from your calendar.".to_owned());
    }
    let text = format!(
        "Hello {first},\n\n{lead}\n\n{details}\n\nOpen it in Tandem:\n{page}\n{footer}",
        first = to.first_name,
        details = details.join("\n"),
        page = session.page,
        footer = unsubscribe.text(),
    );
    let more = details.iter().map(|line| format!("<p>{}</p>", linkify(line))).collect::<String>();
    let html = page_with(
        &format!("Hello {},", escape(to.first_name)),
        &escape(&lead),
        &more,
        "Open the session",
        session.page,
        "",
        Some(&unsubscribe),
    );
    optional_mail(MailKind::SessionInvite, to, subject, text, html, unsubscribe)
}

/// The sessions of a recurring series as a mail lists them.
pub struct SeriesLines<'a> {
    /// Each session's time in the reader's zone ([`when`]), earliest first.
    pub whens: &'a [String],
    pub minutes: i32,
    /// The other person in them.
    pub with: &'a str,
    /// The dashboard, where they are listed.
    pub page: &'a str,
}

/// A recurring series scheduled, rescheduled or deleted by `actor`: one mail for all its
/// sessions; the calendar file is added by the caller.
pub fn series_invite(
    to: &Recipient,
    change: SessionChange,
    actor: &str,
    series: &SeriesLines,
    unsubscribe: Unsubscribe,
) -> Mail {
    let count = series.whens.len();
    let first = series.whens.first().map_or("", String::as_str);
    let sessions = if count == 1 { "1 coaching session".to_owned() } else { format!("{count} coaching sessions") };
    let (subject, lead) = match change {
        SessionChange::Scheduled => (
            format!("{sessions} with {} from {first}", series.with),
            format!("{actor} scheduled {sessions} with {} ({} minutes each):", series.with, series.minutes),
        ),
        SessionChange::Moved => (
            format!("Rescheduled: {sessions} with {} from {first}", series.with),
            format!(
                "{actor} rescheduled your recurring sessions with {}. They are now ({} minutes each):",
                series.with, series.minutes
            ),
        ),
        SessionChange::Cancelled => (
            format!("Cancelled: {sessions} with {}", series.with),
            format!("{actor} cancelled these recurring sessions with {}:", series.with),
        ),
    };
    let closing = if change == SessionChange::Cancelled {
        "The attached calendar file marks them cancelled in your calendar."
    } else {
        "The attached calendar file adds them to your calendar, or updates them there."
    };
    let text = format!(
        "Hello {first_name},\n\n{lead}\n{list}\n\n{closing}\n\nYour sessions in Tandem:\n{page}\n{footer}",
        first_name = to.first_name,
        list = series.whens.iter().map(|when| format!("- {when}")).collect::<Vec<_>>().join("\n"),
        page = series.page,
        footer = unsubscribe.text(),
    );
    let items = series.whens.iter().map(|when| format!("<li>{}</li>", escape(when))).collect::<String>();
    let html = page_with(
        &format!("Hello {},", escape(to.first_name)),
        &escape(&lead),
        &format!("<ul>{items}</ul><p>{}</p>", escape(closing)),
        "Open your sessions",
        series.page,
        "",
        Some(&unsubscribe),
    );
    optional_mail(MailKind::SessionInvite, to, subject, text, html, unsubscribe)
}

/// A reminder `lead` ("tomorrow", "in an hour") before a session, with the actions due by it
/// and the agenda so far.
pub fn reminder(
    to: &Recipient,
    lead: &str,
    session: &SessionLines,
    actions_due: &[String],
    topics: &[String],
    unsubscribe: Unsubscribe,
) -> Mail {
    let subject = format!("Reminder: coaching session with {} {lead}, {}", session.with, session.when);
    let intro = format!(
        "Your coaching session with {} is {lead}: {} ({} minutes).",
        session.with, session.when, session.minutes
    );
    let mut text = format!("Hello {},\n\n{intro}\n", to.first_name);
    let mut more = String::new();
    if let Some(title) = session.title {
        text.push_str(&format!("Title: {title}\n"));
        more.push_str(&format!("<p>Title: {}</p>", escape(title)));
    }
    if let Some(meeting) = session.meeting_url {
        text.push_str(&format!("Join: {meeting}\n"));
        more.push_str(&format!("<p>{}</p>", linkify(&format!("Join: {meeting}"))));
    }
    for (heading, items) in [("Your open actions due by then", actions_due), ("On the agenda so far", topics)] {
        if items.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}:\n"));
        more.push_str(&format!("<p>{heading}:</p><ul>"));
        for item in items {
            text.push_str(&format!("- {item}\n"));
            more.push_str(&format!("<li>{}</li>", escape(item)));
        }
        more.push_str("</ul>");
    }
    text.push_str(&format!("\nOpen it in Tandem:\n{}\n{}", session.page, unsubscribe.text()));
    let html = page_with(
        &format!("Hello {},", escape(to.first_name)),
        &escape(&intro),
        &more,
        "Open the session",
        session.page,
        "",
        Some(&unsubscribe),
    );
    optional_mail(MailKind::Reminder, to, subject, text, html, unsubscribe)
}

/// `actor` assigned the reader an action.
pub fn action_assigned(
    to: &Recipient,
    actor: &str,
    action: &str,
    due: Option<&str>,
    link: &str,
    unsubscribe: Unsubscribe,
) -> Mail {
    let subject = format!("{actor} assigned you an action: {}", shorten(action, 60));
    let due_line = due.map_or_else(|| "No due date.".to_owned(), |due| format!("Due {due}."));
    let text = format!(
        "Hello {first},\n\n{actor} assigned you an action:\n\n  {action}\n\n{due_line}\n\nOpen it in Tandem:\n{link}\n{footer}",
        first = to.first_name,
        footer = unsubscribe.text(),
    );
    let html = page_with(
        &format!("Hello {},", escape(to.first_name)),
        &format!("{} assigned you an action:", escape(actor)),
        &format!("<blockquote style=\"margin:0 0 0 8px;padding-left:12px;border-left:3px solid #93c5fd\">{}</blockquote><p>{}</p>", escape(action), escape(&due_line)),
        "Open the action",
        link,
        "",
        Some(&unsubscribe),
    );
    optional_mail(MailKind::ActionAssigned, to, subject, text, html, unsubscribe)
}

/// One action of a digest: its text, when it is due (in the reader's zone) and its page.
pub struct DigestItem {
    pub action: String,
    pub due: String,
    pub link: String,
}

/// The day's digest of the reader's actions due in the next two days.
pub fn action_digest(to: &Recipient, items: &[DigestItem], actions_page: &str, unsubscribe: Unsubscribe) -> Mail {
    let count = items.len();
    let noun = if count == 1 { "action" } else { "actions" };
    let subject = format!("{count} {noun} due in the next two days");
    let mut text = format!("Hello {},\n\nThese actions of yours are due in the next two days:\n\n", to.first_name);
    let mut more = String::from("<ul>");
    for item in items {
        text.push_str(&format!("- {} (due {})\n  {}\n", item.action, item.due, item.link));
        more.push_str(&format!(
            "<li><a href=\"{}\">{}</a>, due {}</li>",
            escape(&item.link),
            escape(&item.action),
            escape(&item.due)
        ));
    }
    more.push_str("</ul>");
    text.push_str(&format!("\nAll your actions:\n{actions_page}\n{}", unsubscribe.text()));
    let html = page_with(
        &format!("Hello {},", escape(to.first_name)),
        "These actions of yours are due in the next two days:",
        &more,
        "See all your actions",
        actions_page,
        "",
        Some(&unsubscribe),
    );
    optional_mail(MailKind::ActionDigest, to, subject, text, html, unsubscribe)
}

fn optional_mail(
    kind: MailKind,
    to: &Recipient,
    subject: String,
    text: String,
    html: String,
    unsubscribe: Unsubscribe,
) -> Mail {
    Mail { kind, to: to.email.to_owned(), subject, text, html, calendar: None, unsubscribe: Some(unsubscribe.url) }
}

/// A line as HTML, its web addresses made links.
fn linkify(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                format!("<a href=\"{0}\">{0}</a>", escape(word))
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `chars` characters of `text`, with an ellipsis when cut.
fn shorten(text: &str, chars: usize) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() <= chars && line.len() == text.len() {
        return line.to_owned();
    }
    let mut short: String = line.chars().take(chars).collect();
    short.push('…');
    short
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
        assert_eq!(mail.unsubscribe, None);
    }

    fn lines<'a>(when: &'a str) -> SessionLines<'a> {
        SessionLines {
            when,
            minutes: 45,
            title: Some("Q1 <plans>"),
            with: "Ada Coach",
            page: "https://t.example/coaching-sessions/1",
            meeting_url: Some("https://meet.example/x"),
        }
    }

    fn unsubscribe() -> Unsubscribe {
        Unsubscribe { what: "session invitations", url: "https://t.example/unsubscribe/tok".into() }
    }

    #[test]
    fn times_are_shown_in_the_readers_zone() {
        let starts = chrono::DateTime::parse_from_rfc3339("2026-12-14T09:30:00Z").unwrap().to_utc();
        assert_eq!(when(starts, "Europe/Berlin"), "Mon 14 Dec 2026, 10:30 (Europe/Berlin)");
        assert_eq!(when(starts, "Not/AZone"), "Mon 14 Dec 2026, 09:30 (UTC)");
    }

    #[test]
    fn an_invite_says_what_changed_and_carries_the_unsubscribe_link() {
        let to = Recipient { email: "cy@example.com", first_name: "Cy" };
        let moved = session_invite(&to, SessionChange::Moved, "Ada", &lines("Tue 15 Dec"), unsubscribe());
        assert!(moved.subject.starts_with("Moved:"));
        assert!(moved.text.contains("https://meet.example/x") && moved.text.contains("unsubscribe/tok"));
        assert!(moved.html.contains("Q1 &lt;plans&gt;") && moved.html.contains("Turn these mails off"));
        assert_eq!(moved.unsubscribe.as_deref(), Some("https://t.example/unsubscribe/tok"));
        let cancelled = session_invite(&to, SessionChange::Cancelled, "Ada", &lines("Tue 15 Dec"), unsubscribe());
        assert!(cancelled.subject.starts_with("Cancelled:") && !cancelled.text.contains("Join:"));
    }

    #[test]
    fn a_reminder_lists_the_actions_due_and_the_agenda() {
        let to = Recipient { email: "cy@example.com", first_name: "Cy" };
        let mail = reminder(&to, "tomorrow", &lines("Tue"), &["Draft <the> plan".into()], &[], unsubscribe());
        assert_eq!(mail.kind, MailKind::Reminder);
        assert!(mail.text.contains("- Draft <the> plan") && mail.html.contains("Draft &lt;the&gt; plan"));
        assert!(!mail.text.contains("agenda"));
    }

    #[test]
    fn long_actions_are_shortened_in_the_subject() {
        assert_eq!(shorten("short", 60), "short");
        assert_eq!(shorten("two\nlines", 60), "two…");
        assert_eq!(shorten(&"x".repeat(70), 60).chars().count(), 61);
    }
}

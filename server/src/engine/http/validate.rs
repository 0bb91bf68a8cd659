//! Checks of values a person sends; each failure is a 422 that names the field.

use tandem_protocol::{CoachingRelationshipId, GoalLimitDetails, GoalSummary, MAX_IN_PROGRESS_GOALS};

use crate::error::{Error, Result};

/// Longest title of a session or goal.
pub const TITLE_MAX: usize = 255;
/// Longest body of an action, agreement or goal.
pub const BODY_MAX: usize = 10_000;
/// Longest note.
pub const NOTE_MAX: usize = 100_000;
/// Longest email address (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest password a sign-in may send.
pub const PASSWORD_MAX: usize = 1_024;
/// Longest meeting URL.
pub const URL_MAX: usize = 2_048;
/// Most notes in one session.
pub const NOTES_PER_SESSION: usize = 20;
/// Most agreements in one session.
pub const AGREEMENTS_PER_SESSION: usize = 200;
/// Most actions in one session.
pub const ACTIONS_PER_SESSION: usize = 200;
/// Most goals in one relationship, whatever their status.
pub const GOALS_PER_RELATIONSHIP: usize = 100;
/// Most sessions in one relationship (weekly for nineteen years).
pub const SESSIONS_PER_RELATIONSHIP: usize = 1_000;
/// Shortest and longest session, in minutes.
pub const DURATION_RANGE: std::ops::RangeInclusive<i32> = 1..=480;

/// Longest first, last or display name.
pub const NAME_MAX: usize = 100;
/// Longest organization name.
pub const ORGANIZATION_NAME_MAX: usize = 255;

/// An email address: trimmed, well-formed (as SMTP takes it), at most [`EMAIL_MAX`].
pub fn email(value: &str) -> Result<String> {
    let value = value.trim();
    text("email", Some(value), EMAIL_MAX)?;
    if crate::mail::is_address(value) {
        Ok(value.to_owned())
    } else {
        Err(Error::validation(format!("The email {value:?} is not a valid email address.")))
    }
}

/// A required name: trimmed, not empty, at most [`NAME_MAX`].
pub fn name<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::validation(format!("The {field} must not be empty.")));
    }
    text(field, Some(value), NAME_MAX).map(|_| value)
}

/// An IANA time zone name, such as `Europe/Berlin`.
pub fn timezone(value: &str) -> Result<&str> {
    match value.parse::<chrono_tz::Tz>() {
        Ok(_) => Ok(value),
        Err(_) => Err(Error::validation(format!("The time zone {value:?} is not an IANA time zone name."))),
    }
}

/// A new password and its confirmation: equal, and within the policy.
pub fn new_password(password: &str, confirmation: &str) -> Result<()> {
    if password != confirmation {
        return Err(Error::validation("The password and its confirmation differ."));
    }
    let chars = tandem_protocol::PASSWORD_CHARS;
    if !chars.contains(&password.chars().count()) {
        return Err(Error::validation(format!(
            "The password must have {} to {} characters.",
            chars.start(),
            chars.end()
        )));
    }
    Ok(())
}

/// A text field of at most `max` characters.
pub fn text<'a>(field: &str, value: Option<&'a str>, max: usize) -> Result<Option<&'a str>> {
    match value {
        Some(text) if text.chars().count() > max => {
            Err(Error::validation(format!("The {field} is too long: at most {max} characters.")))
        }
        other => Ok(other),
    }
}

/// A title: surrounding spaces dropped, empty means none.
pub fn title<'a>(field: &str, value: Option<&'a str>) -> Result<Option<&'a str>> {
    text(field, value.map(str::trim).filter(|t| !t.is_empty()), TITLE_MAX)
}

/// A session length.
pub fn duration(minutes: i32) -> Result<i32> {
    if DURATION_RANGE.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(Error::validation(format!(
            "The duration must be between {} and {} minutes.",
            DURATION_RANGE.start(),
            DURATION_RANGE.end()
        )))
    }
}

/// A meeting link: an http(s) URL.
pub fn meeting_url(value: Option<&str>) -> Result<Option<&str>> {
    let value = text("meeting link", value.map(str::trim).filter(|u| !u.is_empty()), URL_MAX)?;
    match value {
        Some(url)
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) =>
        {
            Err(Error::validation("The meeting link must be a web address starting with https://."))
        }
        other => Ok(other),
    }
}

/// The 409 answered when a session or relationship already holds `max` of a kind: `what`
/// names the kind ("notes"), `holder` what holds them ("session").
pub fn quota(what: &str, holder: &str, count: usize, max: usize) -> Result<()> {
    if count < max {
        return Ok(());
    }
    Err(Error::Conflict {
        message: format!("This {holder} already has {max} {what}, the most it can hold. Delete one first."),
        details: Some(serde_json::json!({ "limit": max })),
    })
}

/// The 409 answered when one more goal would exceed the in-progress cap.
pub fn goal_limit(relationship: CoachingRelationshipId, in_progress: Vec<GoalSummary>) -> Result<()> {
    if in_progress.len() < MAX_IN_PROGRESS_GOALS {
        return Ok(());
    }
    tracing::debug!(%relationship, "goal cap reached");
    let details = GoalLimitDetails { max_in_progress_goals: MAX_IN_PROGRESS_GOALS, in_progress_goals: in_progress };
    Err(Error::Conflict {
        message: format!(
            "A coaching relationship can have at most {MAX_IN_PROGRESS_GOALS} goals in progress. Complete or pause one first."
        ),
        details: serde_json::to_value(details).ok(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_name_the_field() {
        assert!(text("body", Some("abc"), 3).is_ok());
        let error = text("body", Some("abcd"), 3).unwrap_err();
        assert_eq!(error.to_string(), "The body is too long: at most 3 characters.");
        assert_eq!(title("title", Some("   ")).unwrap(), None);
        assert_eq!(title("title", Some(" Kick-off ")).unwrap(), Some("Kick-off"));
        assert!(duration(0).is_err() && duration(481).is_err());
        assert_eq!(duration(480).unwrap(), 480);
        assert!(meeting_url(Some("javascript:alert(1)")).is_err());
        assert_eq!(meeting_url(Some(" https://meet.example/x ")).unwrap(), Some("https://meet.example/x"));
        assert_eq!(meeting_url(Some("")).unwrap(), None);
    }

    #[test]
    fn people_fields_are_checked() {
        assert_eq!(email(" ada@example.com ").unwrap(), "ada@example.com");
        assert!(email("ada@").is_err() && email("").is_err());
        assert!(name("first name", "  ").is_err());
        assert!(name("first name", &"x".repeat(101)).is_err());
        assert_eq!(name("first name", " Ada ").unwrap(), "Ada");
        assert!(timezone("Europe/Berlin").is_ok() && timezone("Mars/Olympus").is_err());
        assert!(new_password("longenough", "longenough").is_ok());
        assert!(new_password("longenough", "different!").is_err());
        assert!(new_password("short", "short").is_err());
    }
}

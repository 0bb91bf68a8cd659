//! What a person types into the account forms, checked before asking the server: emails,
//! names, new passwords (the server's rule, from the protocol) and session lengths.

use tandem_protocol::{password_policy, PASSWORD_CHARS};

/// Whether the text could be an email address (the server decides the rest).
pub fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !email.contains(char::is_whitespace),
        None => false,
    }
}

/// What is wrong with an email address typed, if anything.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    if email.is_empty() {
        Some("Enter an email address.")
    } else if !looks_like_email(email) {
        Some("Enter an email address like name@example.com.")
    } else {
        None
    }
}

/// `problem` when the text is blank.
pub fn required(text: &str, problem: &'static str) -> Option<&'static str> {
    text.trim().is_empty().then_some(problem)
}

/// The password rule, as the forms show it next to the field.
pub fn password_hint() -> String {
    format!("Use {}", password_policy())
}

/// Problems with a new password typed twice.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewPasswordProblems {
    pub password: Option<String>,
    pub confirm: Option<&'static str>,
}

impl NewPasswordProblems {
    /// Checks the password against the server's rule and its confirmation against it.
    pub fn check(password: &str, confirm: &str) -> Self {
        let length = password.chars().count();
        NewPasswordProblems {
            password: (!PASSWORD_CHARS.contains(&length))
                .then(|| format!("The password must have {}", password_policy())),
            confirm: if confirm.is_empty() {
                Some("Type the password again.")
            } else if confirm != password {
                Some("The two passwords don't match.")
            } else {
                None
            },
        }
    }

    /// Whether the form may be sent.
    pub fn is_empty(&self) -> bool {
        self.password.is_none() && self.confirm.is_none()
    }
}

/// The default length of a new session, in whole minutes from 1 to 480.
pub fn session_minutes(text: &str) -> Result<i32, &'static str> {
    let minutes: i32 = text.trim().parse().map_err(|_| "Enter the length in whole minutes.")?;
    if (1..=480).contains(&minutes) {
        Ok(minutes)
    } else {
        Err("The length must be between 1 and 480 minutes.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_loosely() {
        assert_eq!(email_problem("  sam@example.com "), None);
        assert_eq!(email_problem(""), Some("Enter an email address."));
        assert_eq!(email_problem("sam"), Some("Enter an email address like name@example.com."));
        assert_eq!(email_problem("s am@x"), Some("Enter an email address like name@example.com."));
        assert_eq!(email_problem("@x"), Some("Enter an email address like name@example.com."));
    }

    #[test]
    fn a_new_password_follows_the_servers_rule_and_is_typed_twice_alike() {
        assert!(NewPasswordProblems::check("long enough", "long enough").is_empty());
        let short = NewPasswordProblems::check("short", "short");
        assert_eq!(short.password.as_deref(), Some("The password must have 8 to 128 characters."));
        assert_eq!(short.confirm, None);
        assert_eq!(
            NewPasswordProblems::check("long enough", "long enougH").confirm,
            Some("The two passwords don't match.")
        );
        assert_eq!(NewPasswordProblems::check("long enough", "").confirm, Some("Type the password again."));
        let long = "x".repeat(129);
        assert!(NewPasswordProblems::check(&long, &long).password.is_some());
        // Characters, not bytes: eight accented letters are enough.
        assert!(NewPasswordProblems::check("éééééééé", "éééééééé").is_empty());
        assert_eq!(password_hint(), "Use 8 to 128 characters.");
    }

    #[test]
    fn a_session_length_is_whole_minutes_up_to_eight_hours() {
        assert_eq!(session_minutes(" 45 "), Ok(45));
        assert_eq!(session_minutes("480"), Ok(480));
        assert_eq!(session_minutes("0"), Err("The length must be between 1 and 480 minutes."));
        assert_eq!(session_minutes("481"), Err("The length must be between 1 and 480 minutes."));
        assert_eq!(session_minutes("1.5"), Err("Enter the length in whole minutes."));
        assert_eq!(required("  ", "Enter a first name."), Some("Enter a first name."));
        assert_eq!(required("Sam", "Enter a first name."), None);
    }
}

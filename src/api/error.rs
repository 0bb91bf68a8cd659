//! `ApiError`: every way a call can fail, from status and body, with words for a person.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use tandem_protocol::{ErrorBody, GoalLimitDetails, RetryDetails};

/// A failed API call.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// 401: no valid session (or, on sign-in, wrong email or password).
    Unauthorized,
    /// 403: signed in but not allowed.
    Forbidden,
    /// 404: it does not exist (any more).
    NotFound,
    /// 400: the request was wrong; the server says why.
    BadRequest(String),
    /// 422: values the server will not accept.
    Validation(String),
    /// 409: conflicts with the current state, with the server's details (JSON text, decoded
    /// into the details type wanted when needed: no `serde_json::Value` in the app).
    Conflict { message: String, details: Option<String> },
    /// 429 [extension]: too much too fast; try again after the seconds given, when known.
    TooManyRequests { message: String, retry_after_secs: Option<u64> },
    /// 413: the request was too large for the server.
    TooLarge,
    /// 5xx: the server failed.
    Server(u16),
    /// Any other status.
    Unexpected { status: u16, message: String },
    /// The server could not be reached.
    Network(String),
    /// The answer was not what the contract promises.
    Decode(String),
}

impl ApiError {
    /// The refusal of an edit based on an old version [extension]: the entity as it is now
    /// and who changed it. `None` for any other error.
    pub fn stale_write<T: DeserializeOwned>(&self) -> Option<tandem_protocol::StaleWrite<T>> {
        match self {
            ApiError::Conflict { details: Some(details), .. } => serde_json::from_str(details).ok(),
            _ => None,
        }
    }

    /// The refusal of a fourth goal in progress, with the three that are: `None` for any
    /// other error.
    pub fn goal_limit(&self) -> Option<GoalLimitDetails> {
        match self {
            ApiError::Conflict { details: Some(details), .. } => serde_json::from_str(details).ok(),
            _ => None,
        }
    }

    /// Builds the error of a non-2xx answer from its status and body, which is plain text
    /// (`NOT FOUND`) or a JSON error body.
    pub fn from_response(status: u16, body: &str) -> ApiError {
        let json: Option<ErrorBody<Box<RawValue>>> = serde_json::from_str(body).ok();
        let message = json.as_ref().map(|b| b.message.clone()).unwrap_or_else(|| body.trim().to_owned());
        match status {
            401 => ApiError::Unauthorized,
            403 => ApiError::Forbidden,
            404 => ApiError::NotFound,
            400 => ApiError::BadRequest(message),
            409 => ApiError::Conflict { message, details: json.and_then(|b| b.details).map(|d| d.get().to_owned()) },
            422 => ApiError::Validation(message),
            413 => ApiError::TooLarge,
            429 => ApiError::TooManyRequests {
                retry_after_secs: json
                    .and_then(|b| b.details)
                    .and_then(|d| serde_json::from_str::<RetryDetails>(d.get()).ok())
                    .map(|d| d.retry_after_secs),
                message,
            },
            500..=599 => ApiError::Server(status),
            _ => ApiError::Unexpected { status, message },
        }
    }

    /// The server has no such route (404, 405 or 501): an extension it lacks, such as the
    /// reference backend's missing inbox. The feature is then hidden, not reported.
    pub fn is_missing_route(&self) -> bool {
        matches!(self, ApiError::NotFound | ApiError::Server(501) | ApiError::Unexpected { status: 405, .. })
    }

    /// What to tell a person, in plain words.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => "Your session has ended. Please sign in again.".into(),
            ApiError::Forbidden => "You don't have access to this.".into(),
            ApiError::NotFound => "This no longer exists. It may have been deleted.".into(),
            ApiError::BadRequest(message) | ApiError::Validation(message) => {
                if is_generic(message) {
                    "Some of the values were not accepted. Please check them and try again.".into()
                } else {
                    message.clone()
                }
            }
            ApiError::Conflict { message, details } => conflict_message(message, details.as_deref()),
            ApiError::TooManyRequests { message, retry_after_secs } => match retry_after_secs {
                _ if !message.is_empty() && message != "Too Many Requests" => message.clone(),
                Some(secs) => format!("Too many requests. Please wait {secs} seconds and try again."),
                None => "Too many requests. Please wait a moment and try again.".into(),
            },
            ApiError::TooLarge => "That is too long to save. Please shorten it and try again.".into(),
            ApiError::Server(_) => "Something went wrong on the server. Please try again in a moment.".into(),
            ApiError::Unexpected { status, .. } => {
                format!("The server answered unexpectedly ({status}). Please try again.")
            }
            ApiError::Network(_) => "Can't reach the Tandem server. Check your connection and try again.".into(),
            ApiError::Decode(_) => "The server's answer could not be read. Please reload the page.".into(),
        }
    }
}

/// The reference backend's bare status texts say nothing a person can act on.
fn is_generic(message: &str) -> bool {
    message.is_empty()
        || matches!(message, "BAD REQUEST" | "UNPROCESSABLE ENTITY" | "Bad Request" | "Unprocessable Entity")
}

fn conflict_message(message: &str, details: Option<&str>) -> String {
    let limit = details.and_then(|d| serde_json::from_str::<GoalLimitDetails>(d).ok());
    match limit {
        Some(limit) => {
            let titles: Vec<String> = limit
                .in_progress_goals
                .iter()
                .map(|goal| format!("“{}”", goal.title.as_deref().unwrap_or("Untitled goal")))
                .collect();
            format!(
                "Only {} goals can be in progress at once, and these already are: {}. Put one of them on hold or complete it first.",
                limit.max_in_progress_goals,
                titles.join(", ")
            )
        }
        None if !message.is_empty() && message != "CONFLICT" => message.to_owned(),
        None => "This conflicts with a change made in the meantime. Reload and try again.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_bodies_map_by_status() {
        assert_eq!(ApiError::from_response(401, "Unauthorized"), ApiError::Unauthorized);
        assert_eq!(ApiError::from_response(403, "FORBIDDEN"), ApiError::Forbidden);
        assert_eq!(ApiError::from_response(404, "NOT FOUND"), ApiError::NotFound);
        assert_eq!(
            ApiError::from_response(400, "`x-version` header is missing"),
            ApiError::BadRequest("`x-version` header is missing".into())
        );
        assert_eq!(ApiError::from_response(503, "oops"), ApiError::Server(503));
        assert_eq!(
            ApiError::from_response(418, "teapot"),
            ApiError::Unexpected { status: 418, message: "teapot".into() }
        );
    }

    #[test]
    fn json_bodies_give_their_message() {
        let body =
            r#"{"status_code":422,"error":"validation_error","message":"Duration must be between 1 and 480 minutes"}"#;
        let error = ApiError::from_response(422, body);
        assert_eq!(error.message(), "Duration must be between 1 and 480 minutes");
        assert_eq!(
            ApiError::from_response(422, "UNPROCESSABLE ENTITY").message(),
            "Some of the values were not accepted. Please check them and try again."
        );
    }

    #[test]
    fn the_goal_limit_is_explained_in_words() {
        let body = r#"{"status_code":409,"error":"conflict","message":"limit","details":{"max_in_progress_goals":3,
            "in_progress_goals":[{"id":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d","title":"Speak"},{"id":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e","title":null}]}}"#;
        let message = ApiError::from_response(409, body).message();
        assert!(message.starts_with("Only 3 goals can be in progress at once"), "{message}");
        assert!(message.contains("“Speak”") && message.contains("“Untitled goal”"), "{message}");
    }

    #[test]
    fn a_refused_stale_write_carries_the_current_version_and_a_goal_limit_does_not() {
        let stale = r#"{"status_code":409,"error":"conflict","message":"changed meanwhile","details":{"current":{"title":"Theirs"},"changed_by":null}}"#;
        let error = ApiError::from_response(409, stale);
        assert!(error.stale_write::<serde::de::IgnoredAny>().is_some());
        let limit = r#"{"status_code":409,"error":"conflict","message":"limit","details":{"max_in_progress_goals":3,"in_progress_goals":[]}}"#;
        assert!(ApiError::from_response(409, limit).stale_write::<serde::de::IgnoredAny>().is_none());
        assert!(ApiError::from_response(409, "CONFLICT").stale_write::<serde::de::IgnoredAny>().is_none());
    }

    #[test]
    fn refusals_for_too_much_say_what_to_do() {
        let body = r#"{"status_code":429,"error":"too_many_requests","message":"Too many failed sign-ins. Please wait 60 seconds before trying again.","details":{"retry_after_secs":60}}"#;
        let error = ApiError::from_response(429, body);
        assert_eq!(
            error,
            ApiError::TooManyRequests {
                message: "Too many failed sign-ins. Please wait 60 seconds before trying again.".into(),
                retry_after_secs: Some(60)
            }
        );
        assert_eq!(error.message(), "Too many failed sign-ins. Please wait 60 seconds before trying again.");
        assert_eq!(
            ApiError::from_response(429, "").message(),
            "Too many requests. Please wait a moment and try again."
        );
        assert!(ApiError::from_response(413, "Payload Too Large").message().contains("too long"));
    }

    #[test]
    fn a_missing_route_is_told_from_a_failure() {
        for status in [404, 405, 501] {
            assert!(ApiError::from_response(status, "").is_missing_route(), "{status}");
        }
        for status in [400, 401, 403, 500, 503] {
            assert!(!ApiError::from_response(status, "").is_missing_route(), "{status}");
        }
        assert!(!ApiError::Network("offline".into()).is_missing_route());
    }

    #[test]
    fn network_failures_read_as_unreachable() {
        assert!(ApiError::Network("TypeError".into()).message().contains("Can't reach the Tandem server"));
    }
}

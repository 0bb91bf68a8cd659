//! The response envelope and the JSON error body (contract section 1).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::GoalId;

/// Every JSON success answer: `{"status_code": <u16>, "data": <payload>}`. The HTTP status
/// is 200 even when `status_code` says 201 or 204.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub status_code: u16,
    pub data: T,
}

impl<T> Envelope<T> {
    /// A `200` envelope.
    pub fn ok(data: T) -> Self {
        Self { status_code: 200, data }
    }

    /// A `201` envelope, for creates.
    pub fn created(data: T) -> Self {
        Self { status_code: 201, data }
    }
}

impl Envelope<Option<()>> {
    /// A `204` envelope with `data: null` (PUT and DELETE of a coaching session).
    pub fn no_content() -> Self {
        Self { status_code: 204, data: None }
    }
}

/// A JSON error body: `{"status_code", "error", "message", "details"}`. Most errors are plain
/// text instead (`Unauthorized`, `FORBIDDEN`, `NOT FOUND`, …). `details` is a `Value` by
/// default; a reader that decodes it later into one of the details types can keep it as
/// text (`Box<serde_json::value::RawValue>`), as the web app does to stay small.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody<D = Value> {
    pub status_code: u16,
    /// The kind: `validation_error`, `conflict`, …
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<D>,
}

/// Error kind of a JSON validation error (422).
pub const ERROR_VALIDATION: &str = "validation_error";
/// Error kind of a JSON conflict (409).
pub const ERROR_CONFLICT: &str = "conflict";
/// Error kind of a refusal for sending too much too fast (429) [extension]. The answer's
/// `Retry-After` header, and `details`, say when to try again.
pub const ERROR_TOO_MANY_REQUESTS: &str = "too_many_requests";
/// Error kind of a request body over the server's limit (413) [extension].
pub const ERROR_PAYLOAD_TOO_LARGE: &str = "payload_too_large";

/// `details` of a 429 [extension].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RetryDetails {
    /// Whole seconds to wait before trying again.
    pub retry_after_secs: u64,
}

/// `details` of the 409 answered when a fourth goal of a relationship would go in progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalLimitDetails {
    pub max_in_progress_goals: usize,
    pub in_progress_goals: Vec<GoalSummary>,
}

/// A goal named in [`GoalLimitDetails`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct GoalSummary {
    pub id: GoalId,
    pub title: Option<String>,
}

//! The one error type of the HTTP layer, mapped to the contract's wire format: plain-text
//! bodies for 400/401/403/404, JSON bodies for 409 and 422. Internal errors are logged in
//! full and never shown.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::time::Duration;

use tandem_protocol::{
    ErrorBody, RetryDetails, ERROR_CONFLICT, ERROR_PAYLOAD_TOO_LARGE, ERROR_TOO_MANY_REQUESTS, ERROR_VALIDATION,
};

/// Result of a handler or a query.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid session.
    #[error("Unauthorized")]
    Unauthorized,
    /// Signed in, but not allowed.
    #[error("FORBIDDEN")]
    Forbidden,
    /// Signed in, but not allowed, with the reference's reason (`SuperAdmin access required`).
    #[error("{0}")]
    ForbiddenBecause(String),
    /// A write another site's page made the browser send.
    #[error("FORBIDDEN: cross-site requests are not accepted")]
    CrossSite,
    /// No such thing.
    #[error("NOT FOUND")]
    NotFound,
    /// The request itself is wrong (headers, query, body syntax).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed but invalid values (422, JSON body).
    #[error("{message}")]
    Validation { message: String, details: Option<Value> },
    /// Conflicts with the current state (409, JSON body).
    #[error("{message}")]
    Conflict { message: String, details: Option<Value> },
    /// Too much too fast (429, JSON body, `Retry-After`): a rate limit, a busy password
    /// check, or too many open streams. `kind` is the body's `error`.
    #[error("{message}")]
    TooManyRequests { kind: &'static str, message: String, retry_after: Duration },
    /// A refusal the reference names with an error kind of its own (`organization_name_taken`,
    /// `invalid_or_expired_token`, …): a JSON body with that `error`.
    #[error("{message}")]
    Coded { status: StatusCode, kind: &'static str, message: String, details: Option<Value> },
    /// The body is over the limit (413, JSON body).
    #[error("The request is too large{}.", limit.map(|l| format!(": at most {l} bytes")).unwrap_or_default())]
    PayloadTooLarge { limit: Option<usize> },
    /// The client took too long to send its request (408).
    #[error("The request took too long to arrive.")]
    RequestTimeout,
    #[error("database: {0}")]
    Database(sqlx::Error),
    #[error("session store: {0}")]
    Session(#[from] tower_sessions::session::Error),
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// A 422 with a message and no details.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation { message: message.into(), details: None }
    }

    /// A 429 that asks to come back after `retry_after` (at least a second).
    pub fn too_many(message: impl Into<String>, retry_after: Duration) -> Self {
        Error::TooManyRequests { kind: ERROR_TOO_MANY_REQUESTS, message: message.into(), retry_after }
    }

    /// A refusal with an error kind of its own and no details.
    pub fn coded(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Error::Coded { status, kind, message: message.into(), details: None }
    }

    /// A 409 with an error kind of its own and details.
    pub fn conflict_of(kind: &'static str, message: impl Into<String>, details: impl serde::Serialize) -> Self {
        Error::Coded {
            status: StatusCode::CONFLICT,
            kind,
            message: message.into(),
            details: serde_json::to_value(details).ok(),
        }
    }

    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::Forbidden | Error::ForbiddenBecause(_) | Error::CrossSite => StatusCode::FORBIDDEN,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Error::Conflict { .. } => StatusCode::CONFLICT,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Coded { status, .. } => *status,
            Error::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Error::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Error::Database(_) | Error::Session(_) | Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn plain_text(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

fn json_error(status: StatusCode, kind: &str, message: String, details: Option<Value>) -> Response {
    let body = ErrorBody { status_code: status.as_u16(), error: kind.to_owned(), message, details };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status_code();
        match self {
            Error::Validation { message, details } => json_error(status, ERROR_VALIDATION, message, details),
            Error::Conflict { message, details } => json_error(status, ERROR_CONFLICT, message, details),
            Error::Coded { kind, message, details, .. } => json_error(status, kind, message, details),
            Error::TooManyRequests { kind, message, retry_after } => {
                // Round up: a client that waits the whole seconds it is told is never early.
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                let secs = secs.max(1);
                let details = serde_json::to_value(RetryDetails { retry_after_secs: secs }).ok();
                let mut response = json_error(status, kind, message, details);
                response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
                response
            }
            error @ Error::PayloadTooLarge { .. } => {
                let message = error.to_string();
                json_error(status, ERROR_PAYLOAD_TOO_LARGE, message, None)
            }
            Error::Database(_) | Error::Session(_) | Error::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                plain_text(status, "INTERNAL SERVER ERROR".into())
            }
            other => plain_text(status, other.to_string()),
        }
    }
}

impl From<sqlx::Error> for Error {
    /// A write that lost a race to a concurrent one (the same link made twice, a row deleted
    /// under it) conflicts with the current state: a 409, not a 500.
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match error.as_database_error().map(|e| e.kind()) {
            Some(ErrorKind::UniqueViolation) => {
                Error::Conflict { message: "This already exists: someone made it just now.".into(), details: None }
            }
            Some(ErrorKind::ForeignKeyViolation) => Error::Conflict {
                message: "Something this refers to was deleted just now. Reload and try again.".into(),
                details: None,
            },
            _ => Error::Database(error),
        }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge { limit: None },
            JsonRejection::JsonDataError(e) => Error::validation(format!("Invalid request body: {}", e.body_text())),
            other => Error::BadRequest(format!("Invalid request body: {}", other.body_text())),
        }
    }
}

impl From<FormRejection> for Error {
    fn from(rejection: FormRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge { limit: None };
        }
        Error::BadRequest(format!("Invalid form: {}", rejection.body_text()))
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::BadRequest(format!("Invalid query: {}", rejection.body_text()))
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        Error::BadRequest(format!("Invalid path: {}", rejection.body_text()))
    }
}

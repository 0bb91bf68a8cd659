//! Body extractors whose rejections speak the API's error format.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;

use crate::error::Error;

/// A JSON body; one that is not JSON answers 400, JSON with a wrong or wrongly typed field
/// 422 naming the field, one over the body limit 413. As a response, it is plain JSON (used
/// for the envelope-less delete answers).
pub struct Json<T>(pub T);

fn is_json(request: &Request) -> bool {
    let Some(content_type) = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads `bytes` as a `T`. serde_json calls some type errors syntax errors (a number where
/// an enum's name belongs reads "expected value"), so well-formed JSON that does not fit is
/// always a 422 naming the field, and only text that is not JSON at all is a 400.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let (field, error) = match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Ok(value) => match reader.end() {
            Ok(()) => return Ok(value),
            Err(error) => (".".to_owned(), error),
        },
        Err(error) => (error.path().to_string(), error.into_inner()),
    };
    if serde_json::from_slice::<IgnoredAny>(bytes).is_err() {
        return Err(Error::BadRequest(format!("Invalid request body: not valid JSON: {error}")));
    }
    let reason = if error.is_data() { error.to_string() } else { "a value of the wrong type".to_owned() };
    let reason = reason.split(" at line ").next().unwrap_or(&reason);
    Err(Error::validation(if field == "." {
        format!("Invalid request body: {reason}")
    } else {
        format!("Invalid request body: `{field}`: {reason}")
    }))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Error;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&request) {
            return Err(Error::BadRequest("Invalid request body: expected `Content-Type: application/json`".into()));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::PayloadTooLarge { limit: None }
            } else {
                Error::BadRequest(format!("Invalid request body: {}", rejection.body_text()))
            }
        })?;
        decode(&bytes).map(Json)
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A form-encoded body; a malformed one answers 400 with the reason.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(Error))]
pub struct Form<T>(pub T);

/// Path parameters; a malformed id answers 400 with the reason.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);

/// Query parameters; missing or malformed ones answer 400 with the reason.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Input {
        status: tandem_protocol::Status,
        body: Option<String>,
    }

    fn message(result: Result<Input, Error>) -> (StatusCode, String) {
        let error = result.unwrap_err();
        (error.status_code(), error.to_string())
    }

    #[test]
    fn well_formed_json_that_does_not_fit_names_the_field() {
        let (status, text) = message(decode(br#"{"status":123}"#));
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "Invalid request body: `status`: a value of the wrong type")
        );
        let (status, text) = message(decode(br#"{"status":"Sleeping"}"#));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.starts_with("Invalid request body: `status`: unknown variant `Sleeping`"), "{text}");
        let (status, text) = message(decode(br#"{"body":"x"}"#));
        assert_eq!(
            (status, text.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "Invalid request body: missing field `status`")
        );
        let (status, text) = message(decode(br#"{"status":"Completed","body":7}"#));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(text.starts_with("Invalid request body: `body`: invalid type: integer `7`"), "{text}");
    }

    #[test]
    fn text_that_is_not_json_is_a_bad_request() {
        for body in [&b"{\"status\":"[..], b"not json", b"{\"status\":\"Completed\"} trailing"] {
            let (status, text) = message(decode(body));
            assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
            assert!(text.starts_with("Invalid request body: not valid JSON"), "{text}");
        }
        assert!(decode::<Input>(br#"{"status":"Completed"}"#).is_ok());
    }
}

//! The one place that does HTTP: adds `X-Version`, sends the session cookie, unwraps the
//! envelope and turns status and body into [`ApiError`]. A 401 from any call (but sign-in)
//! means the session ended: the client tells whoever listens ([`on_session_ended`]; the app
//! signs out), and knows nothing of the stores itself.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use gloo::net::http::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use tandem_protocol::{version_tag, API_VERSION, IF_MATCH};
use web_sys::RequestCredentials;

use super::{extensions, ApiError};
use crate::config::api_url;

thread_local! {
    static SESSION_ENDED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Installs what happens when a call finds the session ended (401); replaces the previous.
pub fn on_session_ended(listener: impl Fn() + 'static) {
    SESSION_ENDED.with(|slot| *slot.borrow_mut() = Some(Box::new(listener)));
}

fn session_ended() {
    SESSION_ENDED.with(|slot| {
        if let Some(listener) = slot.borrow().as_ref() {
            listener();
        }
    });
}

/// A request body.
pub enum Body {
    None,
    Json(String),
    Form(String),
}

impl Body {
    /// A JSON body.
    pub fn json<T: Serialize>(value: &T) -> Result<Body, ApiError> {
        serde_json::to_string(value).map(Body::Json).map_err(|e| ApiError::Decode(e.to_string()))
    }

    /// A form-encoded body.
    pub fn form<T: Serialize>(value: &T) -> Result<Body, ApiError> {
        serde_urlencoded::to_string(value).map(Body::Form).map_err(|e| ApiError::Decode(e.to_string()))
    }
}

/// How a call treats the contract's conventions.
#[derive(Clone, Copy)]
pub struct Call {
    /// Send `X-Version` (every JSON route; not login, logout, sse, health).
    pub versioned: bool,
    /// Treat 401 as "the session ended" (everything but sign-in, where it means a wrong password).
    pub session_required: bool,
}

impl Call {
    /// A JSON route of a signed-in person.
    pub const JSON: Call = Call { versioned: true, session_required: true };
    /// A route for people not signed in (invitations, password reset): no `X-Version`, and
    /// a 401 ends no session.
    pub const PUBLIC: Call = Call { versioned: false, session_required: false };
}

/// What [`send`] returns: boxed, so that each typed call around it holds a pointer to the
/// request's state machine instead of a copy of it (one copy in the web app, not one per type).
pub type Sending<'a> = Pin<Box<dyn Future<Output = Result<String, ApiError>> + 'a>>;

/// Sends one request and returns the body of a 2xx answer.
pub fn send(method: Method, path: &str, body: Body, call: Call) -> Sending<'_> {
    Box::pin(send_with(method, path, body, call, None))
}

/// [`send`], with the version the write is based on (`If-Match`) when there is one.
async fn send_with(
    method: Method,
    path: &str,
    body: Body,
    call: Call,
    based_on: Option<DateTime<Utc>>,
) -> Result<String, ApiError> {
    extensions::refuse_known_missing(path)?;
    let mut builder = RequestBuilder::new(&api_url(path)).method(method).credentials(RequestCredentials::Include);
    if call.versioned {
        builder = builder.header("X-Version", API_VERSION);
    }
    // Only to the server of this page's own origin: another one (the reference backend,
    // say) would have to allow the header across origins, and ignores it anyway.
    if let Some(version) = based_on.filter(|_| crate::config::api_is_same_origin()) {
        builder = builder.header(IF_MATCH, &version_tag(version));
    }
    let request = match body {
        Body::None => builder.build(),
        Body::Json(json) => builder.header("Content-Type", "application/json").body(json),
        Body::Form(form) => builder.header("Content-Type", "application/x-www-form-urlencoded").body(form),
    }
    .map_err(|e| ApiError::Network(e.to_string()))?;
    let response = request.send().await.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if (200..300).contains(&status) {
        return Ok(text);
    }
    let error = ApiError::from_response(status, &text);
    extensions::observe(path, &error);
    if error == ApiError::Unauthorized && call.session_required {
        session_ended();
    }
    Err(error)
}

/// Parses the JSON of an answer.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))
}

/// An answer's envelope, its `data` left as JSON text.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

/// The `data` of an answer's envelope. The envelope is read once as text and then its data
/// as `T`: one envelope reader in the web app instead of one per answer type.
pub fn data<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let envelope: RawEnvelope = serde_json::from_str(text).map_err(|e| ApiError::Decode(e.to_string()))?;
    parse(envelope.data.map_or("null", RawValue::get))
}

/// A call whose answer is an envelope; returns its `data`.
pub async fn enveloped<T: DeserializeOwned>(method: Method, path: &str, body: Body) -> Result<T, ApiError> {
    enveloped_as(method, path, body, Call::JSON).await
}

/// [`enveloped`], treating the contract's conventions as `call` says.
pub async fn enveloped_as<T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Body,
    call: Call,
) -> Result<T, ApiError> {
    let text = send(method, path, body, call).await?;
    data(&text)
}

/// A call whose answer holds nothing the app needs (`data: null`, a bare `{"status_code":204}`
/// or `{"id"}`, whichever the server sends): only success counts.
pub async fn ack(method: Method, path: &str, body: Body, call: Call) -> Result<(), ApiError> {
    send(method, path, body, call).await.map(drop)
}

/// `GET` of an enveloped JSON route.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    enveloped(Method::GET, path, Body::None).await
}

/// A JSON write whose answer is an envelope; returns its `data`.
pub async fn write<B: Serialize, T: DeserializeOwned>(method: Method, path: &str, body: &B) -> Result<T, ApiError> {
    enveloped(method, path, Body::json(body)?).await
}

/// A JSON edit based on the version of the entity it started from: refused with 409 (and the
/// entity as it is now) when someone changed it since [extension].
pub async fn write_based_on<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
    based_on: DateTime<Utc>,
) -> Result<T, ApiError> {
    let text = Box::pin(send_with(method, path, Body::json(body)?, Call::JSON, Some(based_on))).await?;
    data(&text)
}

/// A call whose answer is bare JSON (the deletes of actions, agreements and goals, unlink).
pub async fn bare<T: DeserializeOwned>(method: Method, path: &str) -> Result<T, ApiError> {
    let text = send(method, path, Body::None, Call::JSON).await?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_of_an_envelope_is_read_as_the_answers_type() {
        assert_eq!(data::<Vec<u32>>(r#"{"status_code":200,"data":[1, 2]}"#), Ok(vec![1, 2]));
        assert_eq!(data::<Option<u32>>(r#"{"status_code":204,"data":null}"#), Ok(None));
        assert_eq!(data::<Option<u32>>(r#"{"status_code":204}"#), Ok(None));
        assert!(matches!(data::<u32>(r#"{"status_code":200}"#), Err(ApiError::Decode(_))));
        assert!(matches!(data::<u32>(r#"{"status_code":200,"data":"one"}"#), Err(ApiError::Decode(_))));
        assert!(matches!(data::<u32>("NOT JSON"), Err(ApiError::Decode(_))));
    }
}

//! Signing in and out.

use gloo::net::http::Method;
use tandem_protocol::{LoginForm, LoginUser};

use super::client::{data, send, Body, Call};
use super::ApiError;

/// `POST /login` (form-encoded). A wrong email or password is [`ApiError::Unauthorized`].
pub async fn login(email: &str, password: &str) -> Result<LoginUser, ApiError> {
    let form = LoginForm { email: email.to_owned(), password: password.to_owned() };
    let text =
        send(Method::POST, "/login", Body::form(&form)?, Call { versioned: false, session_required: false }).await?;
    data(&text)
}

/// `DELETE /delete`: ends the session on the server.
pub async fn logout() -> Result<(), ApiError> {
    send(Method::DELETE, "/delete", Body::None, Call { versioned: false, session_required: false }).await.map(drop)
}

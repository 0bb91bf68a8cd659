//! Accounts: an invitation's setup link, password reset, and the person's own profile and
//! password (reference sections 3.1 and 3.6).

use gloo::net::http::Method;
use tandem_protocol::{
    PasswordChange, PasswordResetRequest, ResetFor, SetPassword, TokenInput, User, UserId, UserUpdate,
};

use super::client::{ack, enveloped_as, Body, Call};
use super::ApiError;

/// `GET /magic-link/validate?token=`: the person an invitation sets up.
pub async fn validate_invitation(token: &str) -> Result<User, ApiError> {
    let query = serde_urlencoded::to_string([("token", token)]).map_err(|e| ApiError::Decode(e.to_string()))?;
    enveloped_as(Method::GET, &format!("/magic-link/validate?{query}"), Body::None, Call::PUBLIC).await
}

/// `POST /magic-link/complete-setup`: sets the invited person's first password.
pub async fn complete_setup(input: &SetPassword) -> Result<User, ApiError> {
    enveloped_as(Method::POST, "/magic-link/complete-setup", Body::json(input)?, Call::PUBLIC).await
}

/// `POST /password-reset/request`: answers the same whether or not the email has an account.
pub async fn request_reset(email: &str) -> Result<(), ApiError> {
    let body = Body::json(&PasswordResetRequest { email: email.to_owned() })?;
    ack(Method::POST, "/password-reset/request", body, Call::PUBLIC).await
}

/// `POST /password-reset/validate`: whose password a reset link is for.
pub async fn validate_reset(token: &str) -> Result<ResetFor, ApiError> {
    let body = Body::json(&TokenInput { token: token.to_owned() })?;
    enveloped_as(Method::POST, "/password-reset/validate", body, Call::PUBLIC).await
}

/// `POST /password-reset/complete`: sets the new password.
pub async fn complete_reset(input: &SetPassword) -> Result<User, ApiError> {
    enveloped_as(Method::POST, "/password-reset/complete", Body::json(input)?, Call::PUBLIC).await
}

/// `GET /users/{id}`: the person's whole profile.
pub async fn profile(id: UserId) -> Result<User, ApiError> {
    super::client::get(&format!("/users/{id}")).await
}

/// Whether the session still lives, without ending it here when it does not (the reference
/// ends every session of a person whose password changes).
pub async fn session_lives(id: UserId) -> bool {
    let call = Call { versioned: true, session_required: false };
    ack(Method::GET, &format!("/users/{id}"), Body::None, call).await.is_ok()
}

/// `PUT /users/{id}`: changes the fields given. The answer holds no data.
pub async fn update_profile(id: UserId, input: &UserUpdate) -> Result<(), ApiError> {
    ack(Method::PUT, &format!("/users/{id}"), Body::json(input)?, Call::JSON).await
}

/// `PUT /users/{id}/password`. The reference answers a wrong current password with 401,
/// which here must not end the session: the caller checks it.
pub async fn change_password(id: UserId, input: &PasswordChange) -> Result<(), ApiError> {
    let call = Call { versioned: true, session_required: false };
    ack(Method::PUT, &format!("/users/{id}/password"), Body::json(input)?, call).await
}

//! The `CurrentUser` extractor: a request's signed-in person, or 401.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use tandem_protocol::UserId;
use tower_sessions::Session;

use super::super::db::logins::{self, LoginId};
use super::super::state::AppState;
use super::{SessionAuth, AUTH_KEY};
use crate::error::Error;

/// The signed-in person of a request. Extracting it answers 401 when the cookie session is
/// missing, expired or its login was revoked (logout elsewhere, password change).
pub struct CurrentUser {
    pub id: UserId,
    pub login_id: LoginId,
    pub session: Session,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, message)| Error::Internal(message.to_owned()))?;
        let Some(auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
            return Err(Error::Unauthorized);
        };
        if !logins::is_active(&state.db, auth.login_id).await? {
            session.flush().await?;
            return Err(Error::Unauthorized);
        }
        Ok(CurrentUser { id: auth.user_id, login_id: auth.login_id, session })
    }
}

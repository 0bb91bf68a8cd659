//! Who is asking: password hashing, and what a signed-in cookie session holds. The extractor
//! of the signed-in person and the access checks read the database, so they are compiled per
//! engine (`engine/auth/`).

pub mod device_cookie;
pub mod password;
pub mod tokens;
pub mod unsubscribe;

use serde::{Deserialize, Serialize};
use tandem_protocol::UserId;

/// Key of the signed-in person in the cookie session's data.
pub const AUTH_KEY: &str = "auth";

/// Id of one sign-in (server-side only, never on the wire).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct LoginId(pub uuid::Uuid);

/// What a signed-in cookie session holds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionAuth {
    pub user_id: UserId,
    pub login_id: LoginId,
}

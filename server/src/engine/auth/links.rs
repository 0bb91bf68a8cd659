//! Setup and password-reset links: made here (a fresh token, its hash stored), and read
//! back from the token a person brings.

use chrono::{DateTime, Utc};
use tandem_protocol::UserId;

use super::super::db::account_tokens::{self, Purpose};
use super::super::db::Conn;
use crate::auth::tokens;

/// Days an invitation works, as its mail says.
pub const SETUP_DAYS: i64 = crate::auth::tokens::SETUP_VALID.num_days();
/// Minutes a password-reset link works, as its mail says.
pub const RESET_MINUTES: i64 = crate::auth::tokens::RESET_VALID.num_minutes();

/// Issues a link of `purpose` for `user` (an earlier unused one stops working) and returns
/// its address under `public_url`.
pub async fn issue(
    db: &mut Conn,
    public_url: &str,
    user: UserId,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> Result<String, sqlx::Error> {
    let (token, stored) = tokens::new_token();
    account_tokens::issue(db, user, purpose, &stored, now, now + purpose.validity()).await?;
    Ok(format!("{}/{}/{token}", public_url.trim_end_matches('/'), purpose.page()))
}

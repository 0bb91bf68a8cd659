//! Writes based on an old version are refused [extension] (see `tandem_protocol::versions`):
//! an edit that says which version it started from (`If-Match`) updates its row only if the
//! row is still at that version, in the same statement (`db::Edit`, in each `db::*::update`),
//! which also records who edited it; when the row moved on the answer is 409 with the entity
//! now and who changed it last ([`written`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{DateTime, Utc};
use serde::Serialize;
use tandem_protocol::{parse_version_tag, StaleWrite, UserId, IF_MATCH};

use super::super::db::{Edit, Updated};
use crate::error::{Error, Result};

/// The version an edit is based on, when the client said (`If-Match`; `*` means any).
#[derive(Clone, Copy, Debug, Default)]
pub struct IfMatch(pub Option<DateTime<Utc>>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        let Some(value) = parts.headers.get(IF_MATCH) else { return Ok(IfMatch(None)) };
        let text = value.to_str().map_err(|_| Error::BadRequest("If-Match: not text".into()))?.trim();
        if text == "*" {
            return Ok(IfMatch(None));
        }
        parse_version_tag(text)
            .map(|at| IfMatch(Some(at)))
            .ok_or_else(|| Error::BadRequest(format!("If-Match: {text:?} is not a version (an updated_at, quoted)")))
    }
}

impl IfMatch {
    /// The edit `me` makes now, based on the version the client named.
    pub fn edit(self, me: UserId) -> Edit {
        Edit { by: me, at: Utc::now(), based_on: self.0 }
    }
}

/// What an update of `current` did, as an answer: a refused one is 409 with the entity as
/// it is now and who changed it last; a missing row 404.
pub fn written<T: Serialize>(updated: Updated, current: &T) -> Result<()> {
    match updated {
        Updated::Done => Ok(()),
        Updated::Missing => Err(Error::NotFound),
        Updated::Stale { changed_by } => {
            let details = serde_json::to_value(StaleWrite { current, changed_by }).ok();
            Err(Error::Conflict {
                message: "This was changed by someone else after you started editing. Keep yours, or take theirs."
                    .into(),
                details,
            })
        }
    }
}

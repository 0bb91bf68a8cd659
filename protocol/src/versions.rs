//! Writes based on what the writer saw [extension]: a client sends, with an edit, the
//! `updated_at` of the version it started from (`If-Match`); when the entity has changed
//! since, the server refuses with 409 and sends the entity as it is now and who changed it
//! ([`StaleWrite`] in the error's `details`), so nobody's edit silently erases another's.
//! A request without `If-Match` is served as before (the reference contract's behaviour).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// Name of the request header that carries the version a write is based on.
pub const IF_MATCH: &str = "if-match";

/// The `If-Match` value of a version: its `updated_at`, quoted as an entity tag.
pub fn version_tag(updated_at: DateTime<Utc>) -> String {
    format!("\"{}\"", updated_at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The version in an `If-Match` value (quoted or not); `None` when it is not one.
pub fn parse_version_tag(value: &str) -> Option<DateTime<Utc>> {
    let inner = value.trim().trim_start_matches("W/").trim_matches('"');
    DateTime::parse_from_rfc3339(inner).ok().map(|at| at.with_timezone(&Utc))
}

/// `details` of the 409 that refuses a write based on an old version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaleWrite<T> {
    /// The entity as it is now.
    pub current: T,
    /// Who changed it last, when known.
    #[serde(default)]
    pub changed_by: Option<UserId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_version_round_trips_through_its_tag_to_the_nanosecond() {
        let at = Utc.timestamp_opt(1_764_500_000, 123_456_789).unwrap();
        assert_eq!(parse_version_tag(&version_tag(at)), Some(at));
        assert_eq!(
            parse_version_tag("2026-11-30T10:00:00.5+01:00"),
            Some(Utc.timestamp_opt(1_796_029_200, 500_000_000).unwrap())
        );
        assert_eq!(parse_version_tag("W/\"2026-11-30T09:00:00Z\""), Some(Utc.timestamp_opt(1_796_029_200, 0).unwrap()));
        assert_eq!(parse_version_tag("\"yesterday\""), None);
        assert_eq!(parse_version_tag("*"), None);
    }
}

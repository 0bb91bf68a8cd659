//! Reading dates and times off the wire, by hand.
//!
//! The wire carries three fixed shapes: dates (`2025-03-10`), naive date-times
//! (`2025-03-10T14:00:00`, a session's `date`) and instants in RFC 3339
//! (`2025-03-10T14:00:00.123456Z`, `…+01:00`). chrono's `FromStr` reads them through its
//! general format parser, which is the largest part of chrono in the web app; these readers
//! accept what chrono's `FromStr` accepts for these shapes, in a fraction of the code.
//! Writing still goes through chrono's `Serialize`, so the output does not change.
//!
//! Used as `#[serde(deserialize_with = "…")]` on every date and time field of the protocol.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let (date, rest) = split_date(text)?;
    rest.is_empty().then_some(date)
}

/// `YYYY-MM-DD` then `T` then `HH:MM:SS`, with an optional fraction of a second (digits
/// beyond nanoseconds are ignored).
pub fn parse_naive_date_time(text: &str) -> Option<NaiveDateTime> {
    let (date_time, rest) = split_naive_date_time(text, b"T")?;
    rest.is_empty().then_some(date_time)
}

/// A naive date-time as in [`parse_naive_date_time`] (here `t` or a space may stand for
/// the `T`), then an offset: `Z`, `UTC`, `+HH:MM` or `+HHMM` (either sign), after optional
/// spaces.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let (local, rest) = split_naive_date_time(text, b"Tt ")?;
    let offset = parse_offset(rest.trim_start())?;
    let offset = FixedOffset::east_opt(offset)?;
    Some(local.and_local_timezone(offset).single()?.with_timezone(&Utc))
}

/// The number of `width` digits at the start of `text`, and the rest.
fn digits(text: &str, width: usize) -> Option<(u32, &str)> {
    let head = text.get(..width)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[width..]))
}

/// `text` without its leading `symbol`.
fn expect(text: &str, symbol: u8) -> Option<&str> {
    (text.as_bytes().first() == Some(&symbol)).then(|| &text[1..])
}

fn split_date(text: &str) -> Option<(NaiveDate, &str)> {
    let (year, rest) = digits(text, 4)?;
    let (month, rest) = digits(expect(rest, b'-')?, 2)?;
    let (day, rest) = digits(expect(rest, b'-')?, 2)?;
    Some((NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?, rest))
}

fn split_naive_date_time<'a>(text: &'a str, separators: &[u8]) -> Option<(NaiveDateTime, &'a str)> {
    let (date, rest) = split_date(text)?;
    let rest = separators.contains(rest.as_bytes().first()?).then(|| &rest[1..])?;
    let (hour, rest) = digits(rest, 2)?;
    let (minute, rest) = digits(expect(rest, b':')?, 2)?;
    let (second, mut rest) = digits(expect(rest, b':')?, 2)?;
    let mut nano = 0;
    if let Some(fraction) = expect(rest, b'.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return None;
        }
        let kept = &fraction[..length.min(9)];
        nano = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[length..];
    }
    // A leap second (`:60`) is chrono's 59th second plus a whole second of nanoseconds.
    let (second, nano) = if second == 60 { (59, nano + 1_000_000_000) } else { (second, nano) };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    Some((date.and_time(time), rest))
}

/// The offset in seconds east of UTC; nothing may follow it.
fn parse_offset(text: &str) -> Option<i32> {
    if text == "Z" || text == "z" || text.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, rest) = digits(&text[1..], 2)?;
    let rest = rest.strip_prefix(':').unwrap_or(rest);
    let (minutes, rest) = digits(rest, 2)?;
    if !rest.is_empty() || hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60) as i32)
}

fn read<'de, D, T>(deserializer: D, parse: fn(&str) -> Option<T>, shape: &str) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let text = String::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| D::Error::custom(format!("invalid {shape}: {text:?}")))
}

fn read_optional<'de, D, T>(deserializer: D, parse: fn(&str) -> Option<T>, shape: &str) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
{
    match Option::<String>::deserialize(deserializer)? {
        Some(text) => parse(&text).map(Some).ok_or_else(|| D::Error::custom(format!("invalid {shape}: {text:?}"))),
        None => Ok(None),
    }
}

const DATE: &str = "date, expected YYYY-MM-DD";
const DATE_TIME: &str = "date and time, expected YYYY-MM-DDTHH:MM:SS";
const INSTANT: &str = "date and time, expected RFC 3339 like 2025-03-10T14:00:00Z";

/// Deserializes a [`NaiveDate`].
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    read(deserializer, parse_date, DATE)
}

/// Deserializes an optional [`NaiveDate`] (`null` is `None`).
pub fn optional_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    read_optional(deserializer, parse_date, DATE)
}

/// Deserializes a [`NaiveDateTime`].
pub fn naive_date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDateTime, D::Error> {
    read(deserializer, parse_naive_date_time, DATE_TIME)
}

/// Deserializes an optional [`NaiveDateTime`] (`null` is `None`).
pub fn optional_naive_date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDateTime>, D::Error> {
    read_optional(deserializer, parse_naive_date_time, DATE_TIME)
}

/// Deserializes a `DateTime<Utc>` from RFC 3339 with any offset.
pub fn instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    read(deserializer, parse_instant, INSTANT)
}

/// Deserializes an optional `DateTime<Utc>` (`null` is `None`).
pub fn optional_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    read_optional(deserializer, parse_instant, INSTANT)
}

#[cfg(test)]
mod tests;

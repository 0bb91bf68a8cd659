//! Times as a person reads them: in the time zone of their profile (an IANA name such as
//! `Europe/Berlin`). The browser's `Intl` does the zone arithmetic, so the app ships no
//! time-zone database; natively (unit tests) and for unknown zones, times stay in UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// The current time.
pub fn now() -> DateTime<Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Utc::now()
    }
}

/// Wall-clock time in `zone` at `instant`, if the browser knows the zone.
#[cfg(target_arch = "wasm32")]
fn wall_clock(instant: DateTime<Utc>, zone: &str) -> Option<NaiveDateTime> {
    use wasm_bindgen::{JsCast, JsValue};
    let date = js_sys::Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("timeZone", zone),
        ("hourCycle", "h23"),
        ("year", "numeric"),
        ("month", "2-digit"),
        ("day", "2-digit"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("second", "2-digit"),
    ] {
        js_sys::Reflect::set(&options, &key.into(), &value.into()).ok()?;
    }
    // Called through Reflect so an unknown zone (a RangeError) is an Err, not a crash.
    let format: js_sys::Function = js_sys::Reflect::get(&date, &"toLocaleString".into()).ok()?.dyn_into().ok()?;
    let text = format.call2(&date, &"sv-SE".into(), &options).ok()?.as_string()?;
    NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S").ok()
}

#[cfg(not(target_arch = "wasm32"))]
fn wall_clock(_instant: DateTime<Utc>, _zone: &str) -> Option<NaiveDateTime> {
    None
}

/// `instant` on the wall clock of `zone` (UTC when the zone is unknown).
pub fn to_local(instant: DateTime<Utc>, zone: &str) -> NaiveDateTime {
    wall_clock(instant, zone).unwrap_or_else(|| instant.naive_utc())
}

/// The instant at which the wall clock of `zone` shows `local`.
pub fn from_local(local: NaiveDateTime, zone: &str) -> DateTime<Utc> {
    let offset_at = |instant: DateTime<Utc>| to_local(instant, zone) - instant.naive_utc();
    let guess = local.and_utc();
    let first = guess - offset_at(guess);
    // A second step settles the hour around a daylight-saving change.
    guess - offset_at(first)
}

/// A session's `date` (naive, UTC by convention) on the person's wall clock.
pub fn session_local(date: NaiveDateTime, zone: &str) -> NaiveDateTime {
    to_local(date.and_utc(), zone)
}

/// "Thu 3 Dec 2026, 15:30".
pub fn format_date_time(local: NaiveDateTime) -> String {
    local.format("%a %-d %b %Y, %H:%M").to_string()
}

/// "Thu 3 Dec 2026".
pub fn format_date(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%dT%H:%M").to_string()
}

/// Parses an `<input type="datetime-local">` value.
pub fn from_input(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// "1 h 30 min", "45 min".
pub fn format_duration(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        from_input(text).unwrap()
    }

    #[test]
    fn formats_read_naturally() {
        assert_eq!(format_date_time(at("2026-12-03T15:30")), "Thu 3 Dec 2026, 15:30");
        assert_eq!(format_date(at("2026-12-03T15:30").date()), "Thu 3 Dec 2026");
        assert_eq!(format_duration(45), "45 min");
        assert_eq!(format_duration(60), "1 h");
        assert_eq!(format_duration(90), "1 h 30 min");
    }

    #[test]
    fn inputs_round_trip() {
        assert_eq!(to_input(at("2026-12-03T15:30")), "2026-12-03T15:30");
        assert_eq!(from_input("2026-12-03T15:30:00"), Some(at("2026-12-03T15:30")));
        assert_eq!(from_input("3 Dec"), None);
    }

    #[test]
    fn without_a_browser_times_stay_in_utc() {
        let local = at("2026-12-03T15:30");
        assert_eq!(from_local(local, "Europe/Berlin").naive_utc(), local);
        assert_eq!(session_local(local, "Europe/Berlin"), local);
    }
}

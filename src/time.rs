//! Times as a person reads them: in the time zone of their profile (an IANA name such as
//! `Europe/Berlin`). The browser's `Intl` does the zone arithmetic, so the app ships no
//! time-zone database; natively (unit tests) and for unknown zones, times stay in UTC.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

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
    let (date, time) = text.split_once(' ')?;
    parse_date(date)?.and_time(parse_time(time)?).into()
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

// Dates are formatted and parsed by hand: chrono's strftime machinery would add tens of
// kilobytes to the web app for four fixed formats.

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "Thu 3 Dec 2026, 15:30".
pub fn format_date_time(local: NaiveDateTime) -> String {
    format!("{}, {:02}:{:02}", format_date(local.date()), local.hour(), local.minute())
}

/// "Thu 3 Dec 2026".
pub fn format_date(date: NaiveDate) -> String {
    let weekday = WEEKDAYS[date.weekday().num_days_from_monday() as usize];
    let month = MONTHS[date.month0() as usize];
    format!("{weekday} {} {month} {}", date.day(), date.year())
}

/// "2026-12-03", the value of an `<input type="date">`.
pub fn date_input(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Parses "2026-12-03" (the wire's date reader: inputs and `Intl` write the same shape).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    tandem_protocol::wire_time::parse_date(text.trim())
}

/// Parses "15:30" or "15:30:00".
fn parse_time(text: &str) -> Option<NaiveTime> {
    let mut parts = text.trim().splitn(3, ':').map(|p| p.parse::<u32>().ok());
    let (hour, minute) = (parts.next()??, parts.next()??);
    let second = match parts.next() {
        Some(second) => second?,
        None => 0,
    };
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(local: NaiveDateTime) -> String {
    format!("{}T{:02}:{:02}", date_input(local.date()), local.hour(), local.minute())
}

/// Parses an `<input type="datetime-local">` value.
pub fn from_input(value: &str) -> Option<NaiveDateTime> {
    let (date, time) = value.split_once('T')?;
    Some(parse_date(date)?.and_time(parse_time(time)?))
}

/// "1 h 30 min", "45 min".
pub fn format_duration(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// Zones offered when the browser cannot list its own (`Intl.supportedValuesOf` is missing).
const FALLBACK_ZONES: [&str; 32] = [
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Lagos",
    "Africa/Nairobi",
    "America/Anchorage",
    "America/Bogota",
    "America/Chicago",
    "America/Denver",
    "America/Halifax",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/New_York",
    "America/Sao_Paulo",
    "America/Toronto",
    "Asia/Dubai",
    "Asia/Hong_Kong",
    "Asia/Jakarta",
    "Asia/Kolkata",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Sydney",
    "Europe/Berlin",
    "Europe/Istanbul",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Moscow",
    "Europe/Paris",
    "Pacific/Auckland",
    "Pacific/Honolulu",
];

/// Every IANA zone the browser knows, or None when it cannot say.
#[cfg(target_arch = "wasm32")]
pub fn browser_zones() -> Option<Vec<String>> {
    use wasm_bindgen::JsCast;
    // Through Reflect: an older browser without `supportedValuesOf` gets None, not a crash.
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let list: js_sys::Function = js_sys::Reflect::get(&intl, &"supportedValuesOf".into()).ok()?.dyn_into().ok()?;
    let zones: js_sys::Array = list.call1(&intl, &"timeZone".into()).ok()?.dyn_into().ok()?;
    Some(zones.iter().filter_map(|zone| zone.as_string()).collect())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn browser_zones() -> Option<Vec<String>> {
    None
}

/// The zones a person chooses from: the browser's list (or a short one of the world's big
/// cities when it has none), always with UTC first and the person's current zone.
pub fn zone_choices(browser: Option<Vec<String>>, current: &str) -> Vec<String> {
    let mut zones = browser
        .filter(|zones| !zones.is_empty())
        .unwrap_or_else(|| FALLBACK_ZONES.iter().map(|zone| (*zone).to_owned()).collect());
    let current = current.trim();
    if !current.is_empty() {
        zones.push(current.to_owned());
    }
    zones.retain(|zone| zone != "UTC");
    zones.sort();
    zones.dedup();
    zones.insert(0, "UTC".to_owned());
    zones
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
    fn dates_parse_by_hand_and_reject_nonsense() {
        assert_eq!(parse_date("2027-01-15"), NaiveDate::from_ymd_opt(2027, 1, 15));
        assert_eq!(date_input(NaiveDate::from_ymd_opt(2027, 1, 5).unwrap()), "2027-01-05");
        for bad in ["", "2027-13-01", "2027-02-30", "15/01/2027", "2027-01"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(from_input("2026-12-03T25:00"), None);
        assert_eq!(format_date_time(at("2027-05-06T09:05")), "Thu 6 May 2027, 09:05");
    }

    #[test]
    fn inputs_round_trip() {
        assert_eq!(to_input(at("2026-12-03T15:30")), "2026-12-03T15:30");
        assert_eq!(from_input("2026-12-03T15:30:00"), Some(at("2026-12-03T15:30")));
        assert_eq!(from_input("3 Dec"), None);
    }

    #[test]
    fn zones_come_from_the_browser_with_utc_first_and_the_current_one_kept() {
        let browser = vec!["Europe/Paris".to_owned(), "America/New_York".to_owned(), "UTC".to_owned()];
        assert_eq!(
            zone_choices(Some(browser.clone()), "Europe/Paris"),
            ["UTC", "America/New_York", "Europe/Paris"].map(String::from).to_vec()
        );
        // A zone the browser does not list (an old name, say) stays choosable.
        assert!(zone_choices(Some(browser), "Asia/Calcutta").contains(&"Asia/Calcutta".to_owned()));
        // No list from the browser: the short list of big cities.
        let fallback = zone_choices(None, "UTC");
        assert_eq!(fallback.len(), FALLBACK_ZONES.len() + 1);
        assert_eq!(fallback[0], "UTC");
        assert!(fallback.contains(&"Europe/Berlin".to_owned()));
        assert_eq!(zone_choices(Some(Vec::new()), "").len(), FALLBACK_ZONES.len() + 1);
        assert!(FALLBACK_ZONES.windows(2).all(|pair| pair[0] < pair[1]), "kept sorted");
        assert_eq!(browser_zones(), None, "no browser natively");
    }

    #[test]
    fn without_a_browser_times_stay_in_utc() {
        let local = at("2026-12-03T15:30");
        assert_eq!(from_local(local, "Europe/Berlin").naive_utc(), local);
        assert_eq!(session_local(local, "Europe/Berlin"), local);
    }
}

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

use super::*;

/// chrono's own reading of an instant, the behaviour ours must match.
fn chrono_instant(text: &str) -> Option<DateTime<Utc>> {
    text.parse::<DateTime<FixedOffset>>().ok().map(|d| d.with_timezone(&Utc))
}

/// Instants spread over 1970–2100 (a fixed pseudo-random sequence, so failures repeat).
fn instants() -> impl Iterator<Item = DateTime<Utc>> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    std::iter::repeat_with(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let seconds = (state % 4_102_444_800) as i64;
        let nanos = (state >> 40) as u32 % 1_000_000_000;
        Utc.timestamp_opt(seconds, nanos).single().expect("in range")
    })
    .take(2_000)
}

#[test]
fn instants_read_as_chrono_reads_them_in_every_shape_writers_produce() {
    let offsets = [0, 3600, -8 * 3600, 5 * 3600 + 1800, 14 * 3600, -(9 * 3600 + 30 * 60)];
    let shapes = [
        SecondsFormat::Secs,
        SecondsFormat::Millis,
        SecondsFormat::Micros,
        SecondsFormat::Nanos,
        SecondsFormat::AutoSi,
    ];
    for (i, instant) in instants().enumerate() {
        let offset = FixedOffset::east_opt(offsets[i % offsets.len()]).expect("valid offset");
        let local = instant.with_timezone(&offset);
        let shape = shapes[i % shapes.len()];
        let mut texts = vec![
            local.to_rfc3339_opts(shape, true),
            local.to_rfc3339_opts(shape, false),
            // JavaScript's toISOString, serde_json of chrono, and a space-separated variant.
            instant.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            serde_json::to_value(instant).expect("serializes").as_str().expect("a string").to_owned(),
            local.format("%Y-%m-%d %H:%M:%S%.f%z").to_string(),
            local.format("%Y-%m-%dt%H:%M:%S UTC").to_string(),
        ];
        texts.push(texts[0].to_lowercase());
        for text in texts {
            assert_eq!(parse_instant(&text), chrono_instant(&text), "{text}");
            assert!(parse_instant(&text).is_some(), "{text}");
        }
    }
}

#[test]
fn what_chrono_refuses_is_refused() {
    for text in [
        "",
        "2025",
        "2025-03-10",
        "2025-03-10T14:00Z",
        "2025-03-10T14:00:00",
        "2025-03-10T14:00:00.Z",
        "2025-03-10T14:00:00Zjunk",
        "2025-03-10T14:00:00+01",
        "2025-03-10T14:00:00+0100x",
        "2025-03-10T14:00:00+24:00",
        "2025-03-10T14:00:00+01:60",
        "2025-13-10T14:00:00Z",
        "2025-02-29T14:00:00Z",
        "2025-03-32T14:00:00Z",
        "2025-03-10T24:00:00Z",
        "2025-03-10T14:60:00Z",
        "2025-03-10X14:00:00Z",
        "2025/03/10T14:00:00Z",
        "２０２５-03-10T14:00:00Z",
        "2025-03-10T14:00:00\u{2212}01:00",
        "not a date",
    ] {
        assert_eq!(parse_instant(text), None, "{text:?}");
        if text != "2025-03-10T14:00:00\u{2212}01:00" {
            // chrono reads a Unicode minus sign in offsets; the wire never carries one.
            assert_eq!(chrono_instant(text), None, "chrono reads {text:?}");
        }
    }
}

#[test]
fn years_need_four_digits_where_chrono_would_guess() {
    // chrono reads `25-03-10` as the year 25; on the wire that is a mistake, not a date.
    assert!(chrono_instant("25-03-10T14:00:00Z").is_some());
    assert_eq!(parse_instant("25-03-10T14:00:00Z"), None);
}

#[test]
fn fractions_keep_nanoseconds_and_ignore_further_digits_like_chrono() {
    for text in ["2025-03-10T14:00:00.1Z", "2025-03-10T14:00:00.123456789Z", "2025-03-10T14:00:00.1234567891234Z"] {
        assert_eq!(parse_instant(text), chrono_instant(text), "{text}");
    }
    let leap = "2016-12-31T23:59:60.5Z";
    assert_eq!(parse_instant(leap), chrono_instant(leap));
}

#[test]
fn naive_date_times_and_dates_read_as_chrono_reads_them() {
    for instant in instants().take(500) {
        let naive = instant.naive_utc();
        for text in [
            naive.format("%Y-%m-%dT%H:%M:%S").to_string(),
            naive.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
            naive.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
            serde_json::to_value(naive).expect("serializes").as_str().expect("a string").to_owned(),
        ] {
            assert_eq!(parse_naive_date_time(&text), text.parse::<NaiveDateTime>().ok(), "{text}");
            assert!(parse_naive_date_time(&text).is_some(), "{text}");
        }
        let date = naive.date().format("%Y-%m-%d").to_string();
        assert_eq!(parse_date(&date), date.parse::<NaiveDate>().ok(), "{date}");
        assert!(parse_date(&date).is_some());
    }
    for text in ["2025-03-10T14:00:00Z", "2025-03-10T14:00", "2025-03-10", "2025-03-10 14:00:00"] {
        assert_eq!(parse_naive_date_time(text), None, "{text:?}");
        assert!(text.parse::<NaiveDateTime>().is_err(), "chrono reads {text:?}");
    }
    for text in ["2025-03-10T00:00:00", "2025-02-30", "2025-03-10x"] {
        assert_eq!(parse_date(text), None, "{text:?}");
        assert!(text.parse::<NaiveDate>().is_err(), "chrono reads {text:?}");
    }
    // chrono guesses at unpadded months and days and skips leading spaces; the wire does neither.
    for text in ["2025-3-10", "2025-03-1", " 2025-03-10"] {
        assert_eq!(parse_date(text), None, "{text:?}");
    }
}

#[derive(Debug, serde::Deserialize)]
struct Sample {
    #[serde(deserialize_with = "instant")]
    at: DateTime<Utc>,
    #[serde(default, deserialize_with = "optional_instant")]
    until: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_date")]
    day: Option<NaiveDate>,
}

#[test]
fn serde_reads_values_nulls_and_missing_fields_and_names_a_bad_value() {
    let sample: Sample =
        serde_json::from_str(r#"{"at": "2025-03-10T15:00:00+01:00", "until": null}"#).expect("valid sample");
    assert_eq!(sample.at, Utc.with_ymd_and_hms(2025, 3, 10, 14, 0, 0).single().expect("valid"));
    assert_eq!(sample.until, None);
    assert_eq!(sample.day, None);
    let sample: Sample =
        serde_json::from_str(r#"{"at": "2025-03-10T14:00:00Z", "until": "2025-03-11T00:00:00Z", "day": "2025-03-12"}"#)
            .expect("valid sample");
    assert_eq!(sample.until.map(|u| u.to_rfc3339()), Some("2025-03-11T00:00:00+00:00".to_owned()));
    assert_eq!(sample.day, NaiveDate::from_ymd_opt(2025, 3, 12));
    let error = serde_json::from_str::<Sample>(r#"{"at": "yesterday"}"#).expect_err("not a date");
    assert!(error.to_string().contains("invalid date and time"), "{error}");
    assert!(serde_json::from_str::<Sample>(r#"{"at": 5}"#).is_err());
}

//! Time-zone conversion through the browser's Intl.

#![cfg(target_arch = "wasm32")]

use chrono::NaiveDateTime;
use tandem::time::{from_local, session_local, to_local};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").unwrap()
}

#[wasm_bindgen_test]
fn utc_instants_show_on_the_persons_wall_clock() {
    assert_eq!(session_local(at("2026-12-03T14:00"), "Europe/Berlin"), at("2026-12-03T15:00"));
    assert_eq!(session_local(at("2026-07-03T14:00"), "Europe/Berlin"), at("2026-07-03T16:00"), "summer time");
    assert_eq!(session_local(at("2026-12-03T14:00"), "America/New_York"), at("2026-12-03T09:00"));
    assert_eq!(to_local(at("2026-12-03T14:00").and_utc(), "UTC"), at("2026-12-03T14:00"));
}

#[wasm_bindgen_test]
fn wall_clock_times_convert_back_to_utc() {
    assert_eq!(from_local(at("2026-12-03T15:00"), "Europe/Berlin").naive_utc(), at("2026-12-03T14:00"));
    assert_eq!(from_local(at("2026-07-03T16:00"), "Europe/Berlin").naive_utc(), at("2026-07-03T14:00"));
    assert_eq!(
        from_local(at("2026-03-29T12:00"), "Europe/London").naive_utc(),
        at("2026-03-29T11:00"),
        "the day clocks change"
    );
}

#[wasm_bindgen_test]
fn an_unknown_zone_falls_back_to_utc_without_failing() {
    assert_eq!(session_local(at("2026-12-03T14:00"), "Mars/Olympus"), at("2026-12-03T14:00"));
}

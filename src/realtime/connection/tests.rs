use super::*;

const SETTINGS: Settings = Settings { watchdog_ms: 45_000, max_attempts: 3 };

fn half() -> f64 {
    0.5
}

/// A machine that leads and is signed in, its stream opening.
fn opening() -> Connection {
    let mut connection = Connection::new(SETTINGS, half);
    connection.step(Input::Lead { reconnect: false });
    connection.step(Input::Auth { signed_in: true });
    connection
}

/// A machine whose stream is open and has shown heartbeats.
fn open_with_heartbeats() -> Connection {
    let mut connection = opening();
    connection.step(Input::Opened);
    connection.step(Input::Frame { heartbeat: true, id: String::new() });
    connection
}

fn token_of(commands: &[Command], wanted: Timer) -> u32 {
    commands
        .iter()
        .find_map(|c| match c {
            Command::Arm { timer, token, .. } if *timer == wanted => Some(*token),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{wanted:?} not armed in {commands:?}"))
}

fn opens(commands: &[Command]) -> Vec<Option<String>> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Open { last_event_id } => Some(last_event_id.clone()),
            _ => None,
        })
        .collect()
}

fn published(commands: &[Command]) -> Vec<Change> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Publish(change) => Some(change.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn it_opens_only_while_someone_is_signed_in_and_this_tab_leads() {
    let mut connection = Connection::new(SETTINGS, half);
    assert!(connection.step(Input::Auth { signed_in: true }).iter().all(|c| !matches!(c, Command::Open { .. })));
    let commands = connection.step(Input::Lead { reconnect: false });
    assert_eq!(opens(&commands), vec![None]);
    assert_eq!(published(&commands), vec![Change::Opening { state: ConnectionState::Connecting, attempt: 0 }]);
    // No watchdog before the server has shown it sends heartbeats.
    assert!(!commands.iter().any(|c| matches!(c, Command::Arm { .. })));
    // A second grant of the lead changes nothing.
    assert!(connection.step(Input::Lead { reconnect: false }).is_empty());

    let mut waiting = Connection::new(SETTINGS, half);
    waiting.step(Input::Lead { reconnect: false });
    assert!(!waiting.is_open());
    assert_eq!(opens(&waiting.step(Input::Auth { signed_in: true })), vec![None]);
}

#[test]
fn an_open_stream_is_connected_and_healthy_after_a_while() {
    let mut connection = opening();
    let commands = connection.step(Input::Opened);
    assert_eq!(published(&commands), vec![Change::Connected]);
    assert!(!commands.contains(&Command::RevalidateEverything), "a first connection revalidates nothing");
    let stable = token_of(&commands, Timer::Stable);
    assert_eq!(published(&connection.step(Input::Fired(Timer::Stable, stable))), vec![Change::Stable]);
}

#[test]
fn frames_are_passed_on_and_heartbeats_arm_the_watchdog() {
    let mut connection = opening();
    connection.step(Input::Opened);
    let event = connection.step(Input::Frame { heartbeat: false, id: "7".into() });
    assert_eq!(
        event,
        vec![Command::Relay, Command::Publish(Change::Event { last_event_id: Some("7".into()) }), Command::Apply]
    );
    assert_eq!(connection.last_event_id(), Some("7"));
    let heartbeat = connection.step(Input::Frame { heartbeat: true, id: String::new() });
    assert_eq!(heartbeat[0], Command::Relay);
    assert!(heartbeat.contains(&Command::Publish(Change::Heartbeat)));
    assert!(!heartbeat.contains(&Command::Apply), "a heartbeat is not applied to the cache");
    token_of(&heartbeat, Timer::Watchdog);
    assert_eq!(connection.last_event_id(), Some("7"), "a frame without id keeps the last one");
    // From now on every frame re-arms it.
    let next = connection.step(Input::Frame { heartbeat: false, id: String::new() });
    token_of(&next, Timer::Watchdog);
}

#[test]
fn the_browser_retries_once_then_the_machine_backs_off_with_jitter_and_gives_up() {
    let mut connection = open_with_heartbeats();
    connection.step(Input::Frame { heartbeat: false, id: "12".into() });
    // The open stream fails and the browser reconnects by itself.
    let first = connection.step(Input::Failed { browser_will_retry: true });
    assert!(first.contains(&Command::CheckSession));
    assert!(!first.contains(&Command::Close), "the browser's own retry is left alone");
    assert!(first.contains(&Command::Cancel(Timer::Stable)));
    assert!(first.contains(&Command::Cancel(Timer::Watchdog)));
    assert_eq!(
        published(&first),
        vec![Change::Lost { attempt: 1, reason: "the event stream failed".into(), next_retry_ms: None }]
    );
    // Its retry fails too: close it and back off on our own.
    let second = connection.step(Input::Failed { browser_will_retry: true });
    assert!(second.contains(&Command::Close));
    let delay = backoff::delay_ms(2, 0.5);
    assert!(second.iter().any(|c| matches!(c, Command::Arm { timer: Timer::Reconnect, ms, .. } if *ms == delay)));
    assert_eq!(
        published(&second),
        vec![Change::Lost { attempt: 2, reason: "the event stream failed".into(), next_retry_ms: Some(delay) }]
    );
    // The reconnect resumes after the last event id, as a reconnect.
    let due = connection.step(Input::Fired(Timer::Reconnect, token_of(&second, Timer::Reconnect)));
    assert_eq!(opens(&due), vec![Some("12".into())]);
    assert_eq!(published(&due), vec![Change::Opening { state: ConnectionState::Reconnecting, attempt: 2 }]);
    token_of(&due, Timer::Watchdog);
    // Third failure: last attempt with backoff; the fourth gives up.
    let third = connection.step(Input::Failed { browser_will_retry: false });
    let due = connection.step(Input::Fired(Timer::Reconnect, token_of(&third, Timer::Reconnect)));
    assert_eq!(opens(&due).len(), 1);
    let last = connection.step(Input::Failed { browser_will_retry: false });
    assert_eq!(published(&last), vec![Change::GaveUp { attempts: 3, reason: "the event stream failed".into() }]);
    assert!(!last.iter().any(|c| matches!(c, Command::Arm { .. })), "nothing is scheduled after giving up");
    // Until the person retries: a fresh start, still a reconnect.
    let retry = connection.step(Input::RetryNow);
    assert_eq!(opens(&retry), vec![Some("12".into())]);
    assert_eq!(published(&retry), vec![Change::Opening { state: ConnectionState::Reconnecting, attempt: 0 }]);
}

#[test]
fn a_stream_that_never_opens_is_retried_without_waiting_for_the_browser() {
    let mut connection = opening();
    // Not connected before: the browser's retry is not waited for.
    let failed = connection.step(Input::Failed { browser_will_retry: true });
    assert!(failed.contains(&Command::Close));
    token_of(&failed, Timer::Reconnect);
}

#[test]
fn the_watchdog_closes_a_silent_connection_and_reconnects() {
    let mut connection = open_with_heartbeats();
    let armed = connection.step(Input::Frame { heartbeat: true, id: String::new() });
    let fired = connection.step(Input::Fired(Timer::Watchdog, token_of(&armed, Timer::Watchdog)));
    assert!(fired.contains(&Command::Close));
    assert!(fired.contains(&Command::CheckSession));
    token_of(&fired, Timer::Reconnect);
    assert!(
        matches!(&published(&fired)[..], [Change::Lost { attempt: 1, reason, .. }] if reason == "no byte for 45 s")
    );
}

#[test]
fn a_healthy_connection_starts_counting_attempts_over() {
    let mut connection = open_with_heartbeats();
    let failed = connection.step(Input::Failed { browser_will_retry: false });
    let due = connection.step(Input::Fired(Timer::Reconnect, token_of(&failed, Timer::Reconnect)));
    assert_eq!(opens(&due).len(), 1);
    let opened = connection.step(Input::Opened);
    connection.step(Input::Fired(Timer::Stable, token_of(&opened, Timer::Stable)));
    let again = connection.step(Input::Failed { browser_will_retry: false });
    assert!(matches!(&published(&again)[..], [Change::Lost { attempt: 1, .. }]));
}

#[test]
fn a_reconnect_without_event_ids_revalidates_everything_and_one_with_ids_does_not() {
    let mut without_ids = open_with_heartbeats();
    let failed = without_ids.step(Input::Failed { browser_will_retry: false });
    without_ids.step(Input::Fired(Timer::Reconnect, token_of(&failed, Timer::Reconnect)));
    assert!(without_ids.step(Input::Opened).contains(&Command::RevalidateEverything));

    let mut with_ids = open_with_heartbeats();
    with_ids.step(Input::Frame { heartbeat: false, id: "3".into() });
    let failed = with_ids.step(Input::Failed { browser_will_retry: false });
    with_ids.step(Input::Fired(Timer::Reconnect, token_of(&failed, Timer::Reconnect)));
    assert!(!with_ids.step(Input::Opened).contains(&Command::RevalidateEverything));
}

#[test]
fn a_timer_firing_after_close_or_after_being_armed_again_changes_nothing() {
    let mut connection = open_with_heartbeats();
    let failed = connection.step(Input::Failed { browser_will_retry: false });
    let reconnect = token_of(&failed, Timer::Reconnect);
    // Signed out before the reconnect was due; its firing was already queued.
    let out = connection.step(Input::Auth { signed_in: false });
    assert!(out.contains(&Command::Cancel(Timer::Reconnect)));
    assert!(connection.step(Input::Fired(Timer::Reconnect, reconnect)).is_empty());

    let mut connection = open_with_heartbeats();
    let first = connection.step(Input::Frame { heartbeat: true, id: String::new() });
    let second = connection.step(Input::Frame { heartbeat: true, id: String::new() });
    assert!(connection.step(Input::Fired(Timer::Watchdog, token_of(&first, Timer::Watchdog))).is_empty());
    assert!(!connection.step(Input::Fired(Timer::Watchdog, token_of(&second, Timer::Watchdog))).is_empty());
    // And once halted, nothing of the old stream counts.
    let mut connection = open_with_heartbeats();
    let armed = connection.step(Input::Frame { heartbeat: true, id: String::new() });
    let halted = connection.step(Input::Halt);
    assert!(halted.contains(&Command::Close));
    assert!(connection.step(Input::Fired(Timer::Watchdog, token_of(&armed, Timer::Watchdog))).is_empty());
    assert!(connection.step(Input::Opened).is_empty());
    assert!(connection.step(Input::Failed { browser_will_retry: false }).is_empty());
    assert!(connection.step(Input::Frame { heartbeat: false, id: "9".into() }).is_empty());
}

#[test]
fn signing_out_closes_everything_and_forgets_the_last_event_id() {
    let mut connection = open_with_heartbeats();
    connection.step(Input::Frame { heartbeat: false, id: "5".into() });
    let out = connection.step(Input::Auth { signed_in: false });
    assert!(out.contains(&Command::Close));
    assert_eq!(published(&out), vec![Change::Reset { leader: true }]);
    assert_eq!(connection.last_event_id(), None);
    // Signing in again is a first connection, not a reconnect.
    let again = connection.step(Input::Auth { signed_in: true });
    assert_eq!(opens(&again), vec![None]);
    assert_eq!(published(&again), vec![Change::Opening { state: ConnectionState::Connecting, attempt: 0 }]);
}

#[test]
fn following_closes_the_stream_and_leading_again_resumes_from_the_relayed_id() {
    let mut connection = open_with_heartbeats();
    let out = connection.step(Input::Follow);
    assert!(out.contains(&Command::Close));
    assert!(!connection.is_open());
    // A follower keeps the leader's last id; a retry is not its to make.
    connection.step(Input::Resume("40".into()));
    connection.step(Input::Resume(String::new()));
    assert!(connection.step(Input::RetryNow).is_empty());
    let lead = connection.step(Input::Lead { reconnect: true });
    assert_eq!(opens(&lead), vec![Some("40".into())]);
    assert_eq!(published(&lead), vec![Change::Opening { state: ConnectionState::Reconnecting, attempt: 0 }]);
    // A follower that signs out publishes a reset without the leader flag.
    let mut follower = Connection::new(SETTINGS, half);
    follower.step(Input::Auth { signed_in: true });
    assert_eq!(published(&follower.step(Input::Auth { signed_in: false })), vec![Change::Reset { leader: false }]);
}

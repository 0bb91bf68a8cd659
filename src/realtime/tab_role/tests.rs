use super::*;
use crate::stores::connection::{ConnectionState, ConnectionStore};

const SILENCE: u32 = 45_000;

fn none() -> f64 {
    0.0
}

fn waiting() -> TabRole {
    let mut tab = TabRole::new(SILENCE, none);
    tab.step(Input::Start { shareable: true });
    tab
}

fn leading() -> (TabRole, Vec<Command>) {
    let mut tab = waiting();
    let granted = tab.step(Input::LockGranted);
    (tab, granted)
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

fn frame(id: &str) -> RelayMessage {
    RelayMessage::Frame { name: "action_created".into(), data: "{}".into(), id: id.into() }
}

#[test]
fn a_tab_that_can_share_asks_for_the_lock_greets_the_leader_and_waits() {
    let mut tab = TabRole::new(SILENCE, || 0.5);
    let out = tab.step(Input::Start { shareable: true });
    assert_eq!(tab.role(), Role::Waiting);
    assert_eq!(out[0], Command::RequestLock { steal: false });
    assert_eq!(out[1], Command::Post(Say::Hello));
    // The silence has up to 2 s of jitter.
    assert!(matches!(out[2], Command::Arm { timer: Timer::Silence, ms: 46_000, .. }));
    // Starting twice does nothing more.
    assert!(tab.step(Input::Start { shareable: true }).is_empty());
}

#[test]
fn a_tab_that_cannot_share_keeps_its_own_stream() {
    let mut tab = TabRole::new(SILENCE, none);
    let out = tab.step(Input::Start { shareable: false });
    assert_eq!(tab.role(), Role::Alone);
    assert_eq!(out.last(), Some(&Command::Lead { reconnect: false }));
    assert_eq!(tab.step(Input::RetryWanted), vec![Command::RetryStream]);
    assert!(tab.step(Input::Relayed(RelayMessage::Hello)).is_empty());
    assert!(tab.step(Input::LockGranted).is_empty());
}

#[test]
fn the_lock_makes_a_leader_that_beacons_and_a_second_grant_changes_nothing() {
    let (mut tab, granted) = leading();
    assert_eq!(tab.role(), Role::Leading);
    assert!(granted.contains(&Command::Cancel(Timer::Silence)));
    assert!(granted.iter().any(|c| matches!(c, Command::Arm { timer: Timer::Beacon, ms: 15_000, .. })));
    assert!(granted.contains(&Command::Post(Say::Alive)));
    assert_eq!(granted.last(), Some(&Command::Lead { reconnect: false }), "no leader heard: a first connection");
    assert!(tab.step(Input::LockGranted).is_empty());
    // The beacon says it lives and comes round again.
    let beacon = tab.step(Input::Fired(Timer::Beacon, token_of(&granted, Timer::Beacon)));
    assert_eq!(beacon[0], Command::Post(Say::Alive));
    token_of(&beacon, Timer::Beacon);
}

#[test]
fn a_waiting_tab_applies_relayed_frames_and_keeps_the_leaders_place() {
    let mut tab = waiting();
    let out = tab.step(Input::Relayed(frame("17")));
    assert!(matches!(out[0], Command::Arm { timer: Timer::Silence, .. }), "hearing the leader restarts the silence");
    assert_eq!(out[1], Command::Resume("17".into()));
    assert_eq!(out[2], Command::Apply { name: "action_created".into(), data: "{}".into() });
    // A frame without id (a heartbeat of a server without ids) keeps the place.
    assert!(!tab.step(Input::Relayed(frame(""))).iter().any(|c| matches!(c, Command::Resume(_))));
    let store = ConnectionStore {
        state: ConnectionState::Connected,
        last_event_id: Some("18".into()),
        ..ConnectionStore::default()
    };
    let out = tab.step(Input::Relayed(RelayMessage::State { store: store.clone() }));
    assert!(out.contains(&Command::Resume("18".into())));
    assert!(out.contains(&Command::SetStore(store)));
    let out = tab.step(Input::Relayed(RelayMessage::Alive { last_event_id: Some("19".into()) }));
    assert!(out.contains(&Command::Resume("19".into())));
    // Messages meant for the leader.
    assert!(tab.step(Input::Relayed(RelayMessage::Hello)).is_empty());
    assert!(tab.step(Input::Relayed(RelayMessage::RetryNow)).is_empty());
    // Having heard a leader, taking the lock over is a reconnect.
    assert_eq!(tab.step(Input::LockGranted).last(), Some(&Command::Lead { reconnect: true }));
}

#[test]
fn silence_from_the_leader_takes_the_lock_away_but_an_old_deadline_does_not() {
    let mut tab = waiting();
    let first = tab.step(Input::Relayed(frame("1")));
    let second = tab.step(Input::Relayed(frame("2")));
    assert!(tab.step(Input::Fired(Timer::Silence, token_of(&first, Timer::Silence))).is_empty());
    let fired = tab.step(Input::Fired(Timer::Silence, token_of(&second, Timer::Silence)));
    assert_eq!(fired.last(), Some(&Command::RequestLock { steal: true }));
    assert_eq!(tab.role(), Role::Waiting, "it leads only once the lock is granted");
}

#[test]
fn a_leader_answers_greetings_and_retries_and_ignores_an_older_leader() {
    let (mut tab, _) = leading();
    assert_eq!(
        tab.step(Input::Relayed(RelayMessage::Hello)),
        vec![Command::Post(Say::State), Command::Post(Say::Alive)]
    );
    assert_eq!(tab.step(Input::Relayed(RelayMessage::RetryNow)), vec![Command::RetryStream]);
    assert_eq!(tab.step(Input::RetryWanted), vec![Command::RetryStream]);
    assert_eq!(tab.step(Input::StoreChanged), vec![Command::Post(Say::State)]);
    // The tab that led before this one still talks for a moment during the take-over.
    assert!(tab.step(Input::Relayed(frame("3"))).is_empty());
    assert!(tab.step(Input::Relayed(RelayMessage::Alive { last_event_id: Some("3".into()) })).is_empty());
    let stale = RelayMessage::State { store: ConnectionStore::default() };
    assert!(tab.step(Input::Relayed(stale)).is_empty());
}

#[test]
fn a_leader_whose_lock_is_stolen_follows_and_queues_again() {
    let (mut tab, granted) = leading();
    let lost = tab.step(Input::LockLost);
    assert_eq!(tab.role(), Role::Waiting);
    assert!(lost.contains(&Command::Cancel(Timer::Beacon)));
    assert!(lost.contains(&Command::Follow));
    token_of(&lost, Timer::Silence);
    assert_eq!(lost.last(), Some(&Command::RequestLock { steal: false }));
    // Its beacon, already queued, says nothing now.
    assert!(tab.step(Input::Fired(Timer::Beacon, token_of(&granted, Timer::Beacon))).is_empty());
    // A waiting tab's retry goes to the leader, and the store is not its to relay.
    assert_eq!(tab.step(Input::RetryWanted), vec![Command::Post(Say::RetryNow)]);
    assert!(tab.step(Input::StoreChanged).is_empty());
}

#[test]
fn a_waiting_tab_that_cannot_get_the_lock_keeps_its_own_stream() {
    let mut tab = waiting();
    let out = tab.step(Input::LockLost);
    assert_eq!(tab.role(), Role::Alone);
    assert!(out.contains(&Command::Cancel(Timer::Silence)));
    assert!(out.contains(&Command::StopSharing));
    assert_eq!(out.last(), Some(&Command::Lead { reconnect: false }));
    assert!(tab.step(Input::LockLost).is_empty());
    assert!(tab.step(Input::Relayed(frame("4"))).is_empty());
}

use tandem_protocol::{CoachingSessionId, Resync, SessionRetitled};
use tokio::sync::mpsc::error::TryRecvError;
use uuid::Uuid;

use super::*;

fn user() -> UserId {
    UserId(Uuid::new_v4())
}

fn login(name: &str) -> LoginId {
    LoginId(name.to_owned())
}

fn title_event() -> Event {
    Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: CoachingSessionId(Uuid::new_v4()),
        coaching_session: None,
    })
}

fn hub_with(buffer: usize, replay_size: usize) -> Hub {
    Hub::new(HubSettings { buffer, replay_size, replay_age: Duration::from_secs(600), streams_per_login: 0 })
}

fn drain(sub: &mut Subscription) -> Vec<Arc<Frame>> {
    let mut frames = Vec::new();
    while let Ok(frame) = sub.live.try_recv() {
        frames.push(frame);
    }
    frames
}

#[test]
fn an_event_reaches_every_tab_of_each_recipient_and_no_one_else() {
    let hub = hub_with(16, 100);
    let (alex, sam, jordan) = (user(), user(), user());
    let mut alex_tab1 = hub.subscribe(alex, login("a"), None).unwrap();
    let mut alex_tab2 = hub.subscribe(alex, login("a"), None).unwrap();
    let mut sam_tab = hub.subscribe(sam, login("s"), None).unwrap();
    let mut jordan_tab = hub.subscribe(jordan, login("j"), None).unwrap();
    hub.publish(&[alex, sam, alex], &title_event());
    assert_eq!(drain(&mut alex_tab1).len(), 1, "duplicates in the recipient list send once");
    assert_eq!(drain(&mut alex_tab2).len(), 1);
    let sam_frames = drain(&mut sam_tab);
    assert_eq!(sam_frames.len(), 1);
    assert_eq!(sam_frames[0].name, "coaching_session_title_updated");
    assert!(drain(&mut jordan_tab).is_empty());
}

#[test]
fn ids_increase_per_user_and_replay_is_exact() {
    let hub = hub_with(16, 100);
    let sam = user();
    let mut first = hub.subscribe(sam, login("s"), None).unwrap();
    for _ in 0..5 {
        hub.publish(&[sam], &title_event());
    }
    let ids: Vec<u64> = drain(&mut first).iter().map(|f| f.id.unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    hub.unsubscribe(sam, first.connection);

    let again = hub.subscribe(sam, login("s"), Some(ids[1])).unwrap();
    let Catchup::Replay(missed) = again.catchup else { panic!("expected a replay") };
    assert_eq!(missed.iter().map(|f| f.id.unwrap()).collect::<Vec<_>>(), ids[2..].to_vec());

    let up_to_date = hub.subscribe(sam, login("s"), Some(ids[4])).unwrap();
    assert!(matches!(up_to_date.catchup, Catchup::Replay(ref v) if v.is_empty()));
    assert!(matches!(hub.subscribe(sam, login("s"), None).unwrap().catchup, Catchup::Nothing));
}

#[test]
fn a_gap_older_than_the_ring_or_an_unknown_id_means_resync() {
    let hub = hub_with(16, 3);
    let sam = user();
    let mut tab = hub.subscribe(sam, login("s"), None).unwrap();
    for _ in 0..6 {
        hub.publish(&[sam], &title_event());
    }
    let ids: Vec<u64> = drain(&mut tab).iter().map(|f| f.id.unwrap()).collect();
    // The ring keeps the last 3: replay from ids[2] works, from ids[1] it does not.
    assert!(
        matches!(hub.subscribe(sam, login("s"), Some(ids[2])).unwrap().catchup, Catchup::Replay(ref v) if v.len() == 3)
    );
    match hub.subscribe(sam, login("s"), Some(ids[1])).unwrap().catchup {
        Catchup::Resync { current_id } => assert_eq!(current_id, ids[5]),
        other => panic!("expected resync, got {other:?}"),
    }
    // An id from the future (another server run) and one from long ago.
    assert!(matches!(hub.subscribe(sam, login("s"), Some(ids[5] + 10)).unwrap().catchup, Catchup::Resync { .. }));
    assert!(matches!(hub.subscribe(sam, login("s"), Some(1)).unwrap().catchup, Catchup::Resync { .. }));
    // A user the hub has never seen, reconnecting with an id: nothing is known, resync.
    assert!(matches!(hub.subscribe(user(), login("x"), Some(42)).unwrap().catchup, Catchup::Resync { .. }));
}

#[test]
fn events_older_than_the_age_limit_are_not_replayed() {
    let settings =
        HubSettings { buffer: 4, replay_size: 100, replay_age: Duration::from_secs(60), streams_per_login: 0 };
    let mut channel = UserChannel::new();
    let start = Instant::now();
    for offset in [0, 30, 90] {
        let id = channel.next_id;
        channel.next_id += 1;
        let frame = Arc::new(Frame { id: Some(id), name: "resync", data: "{}".into() });
        channel.ring.push_back(Stored { frame, at: start + Duration::from_secs(offset) });
    }
    channel.trim(&settings, start + Duration::from_secs(100));
    assert_eq!(channel.ring.len(), 1, "only the event of 10 s ago is kept");
    assert_eq!(channel.evicted_through, channel.next_id - 2);
}

#[test]
fn a_stuck_connection_is_closed_and_never_delays_the_others() {
    let hub = hub_with(4, 1000);
    let sam = user();
    let mut stuck = hub.subscribe(sam, login("stuck"), None).unwrap();
    let mut live = hub.subscribe(sam, login("live"), None).unwrap();
    let mut received = 0;
    for _ in 0..100 {
        hub.publish(&[sam], &title_event());
        received += drain(&mut live).len();
    }
    assert_eq!(received, 100, "the live tab got every event as it was published");
    assert_eq!(hub.connections_of(sam), 1, "the stuck tab was dropped");
    // The stuck tab holds only its bounded buffer, then its stream ends (disconnected, not
    // merely empty); the live tab stays open.
    assert_eq!(drain(&mut stuck).len(), 4);
    assert!(matches!(stuck.live.try_recv(), Err(TryRecvError::Disconnected)));
    assert!(matches!(live.live.try_recv(), Err(TryRecvError::Empty)));
}

#[test]
fn force_logout_reaches_only_the_chosen_logins_and_closes_them() {
    let hub = hub_with(8, 100);
    let sam = user();
    let mut ended = hub.subscribe(sam, login("old"), None).unwrap();
    let mut kept = hub.subscribe(sam, login("current"), None).unwrap();
    hub.publish(&[sam], &title_event());
    hub.publish(&[sam], &title_event());
    let before: Vec<u64> = drain(&mut ended).iter().chain(drain(&mut kept).iter()).filter_map(|f| f.id).collect();
    assert_eq!(before.len(), 4);
    hub.force_logout(sam, |l| l.0 == "old", "Your password was changed");
    let frames = drain(&mut ended);
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].name, "force_logout");
    assert_eq!(frames[0].id, None);
    assert!(frames[0].data.contains("Your password was changed"));
    assert!(drain(&mut kept).is_empty());
    assert_eq!(hub.connections_of(sam), 1);
    assert!(matches!(ended.live.try_recv(), Err(TryRecvError::Disconnected)), "the ended login's stream is closed");
    // Not kept for replay: a reconnect from the first event gets the second and nothing after.
    let replayed = match hub.subscribe(sam, login("current"), Some(before[0])).unwrap().catchup {
        Catchup::Replay(frames) => frames,
        _ => panic!("a known id replays"),
    };
    assert_eq!(
        replayed.iter().map(|f| (f.name, f.id)).collect::<Vec<_>>(),
        vec![("coaching_session_title_updated", Some(before[1]))]
    );
}

#[test]
fn closed_connections_and_idle_users_are_swept() {
    let hub = hub_with(8, 100);
    let sam = user();
    let tab = hub.subscribe(sam, login("s"), None).unwrap();
    drop(tab);
    hub.sweep();
    assert_eq!(hub.connection_count(), 0);
    assert!(hub.users().is_empty());
}

#[test]
fn close_all_ends_every_open_stream() {
    let hub = hub_with(8, 100);
    let (sam, alex) = (user(), user());
    let mut tabs = [
        hub.subscribe(sam, login("s1"), None).unwrap(),
        hub.subscribe(sam, login("s2"), None).unwrap(),
        hub.subscribe(alex, login("a"), None).unwrap(),
    ];
    hub.publish(&[sam, alex], &Event::Resync(Resync {}));
    assert_eq!(hub.connection_count(), 3);
    hub.close_all();
    assert_eq!(hub.connection_count(), 0);
    for tab in &mut tabs {
        assert_eq!(drain(tab).len(), 1, "what was sent before is still delivered");
        assert!(matches!(tab.live.try_recv(), Err(TryRecvError::Disconnected)));
    }
}

#[test]
fn a_login_holds_at_most_its_cap_of_streams_and_keeps_the_open_ones() {
    let hub = Hub::new(HubSettings { streams_per_login: 3, ..HubSettings::default() });
    let sam = user();
    let mut open: Vec<Subscription> = (0..3).map(|_| hub.subscribe(sam, login("s"), None).unwrap()).collect();
    assert_eq!(hub.subscribe(sam, login("s"), None).unwrap_err(), TooManyStreams { open: 3 });
    // Another login of the same person has a cap of its own.
    let _other_device = hub.subscribe(sam, login("phone"), None).unwrap();
    // The refused one took nothing from the open ones: they still get events.
    hub.publish(&[sam], &title_event());
    assert!(open.iter_mut().all(|tab| drain(tab).len() == 1));
    // A stream whose client left frees its place.
    drop(open.pop());
    assert!(hub.subscribe(sam, login("s"), None).is_ok());
}

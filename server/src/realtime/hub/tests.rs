use tandem_protocol::{CoachingSessionId, Resync, SessionRetitled};
use tokio::sync::mpsc::error::TryRecvError;
use uuid::Uuid;

use super::*;

fn user() -> UserId {
    UserId(Uuid::new_v4())
}

fn login(n: u128) -> LoginId {
    LoginId(Uuid::from_u128(n))
}

fn frame(id: u64) -> Arc<Frame> {
    let event = Event::CoachingSessionTitleUpdated(SessionRetitled {
        coaching_session_id: CoachingSessionId(Uuid::new_v4()),
        coaching_session: None,
    });
    Arc::new(Frame::of(&event, Some(id)))
}

fn hub_with(buffer: usize) -> Hub {
    Hub::new(HubSettings { buffer, streams_per_person: 0, ..HubSettings::default() })
}

fn drain(sub: &mut Subscription) -> Vec<Arc<Frame>> {
    let mut frames = Vec::new();
    while let Ok(frame) = sub.live.try_recv() {
        frames.push(frame);
    }
    frames
}

fn ids(frames: &[Arc<Frame>]) -> Vec<Option<u64>> {
    frames.iter().map(|f| f.id).collect()
}

#[test]
fn an_event_reaches_every_tab_of_its_recipient_and_no_one_else() {
    let hub = hub_with(16);
    let (alex, sam) = (user(), user());
    let mut alex_tab1 = hub.subscribe(alex, login(1));
    let mut alex_tab2 = hub.subscribe(alex, login(1));
    let mut sam_tab = hub.subscribe(sam, login(2));
    hub.deliver(alex, &frame(7));
    assert_eq!(ids(&drain(&mut alex_tab1)), vec![Some(7)]);
    assert_eq!(ids(&drain(&mut alex_tab2)), vec![Some(7)]);
    assert!(drain(&mut sam_tab).is_empty());
    assert_eq!(&*frame(1).name, "coaching_session_title_updated");
}

#[test]
fn an_id_already_delivered_or_older_is_not_sent_again() {
    let hub = hub_with(16);
    let sam = user();
    let mut tab = hub.subscribe(sam, login(1));
    for id in [5, 6, 6, 4, 7] {
        hub.deliver(sam, &frame(id));
    }
    assert_eq!(ids(&drain(&mut tab)), vec![Some(5), Some(6), Some(7)]);
    // Frames without an id (per-login system events) always go through.
    let resync = Arc::new(Frame::of(&Event::Resync(Resync {}), None));
    hub.deliver(sam, &resync);
    hub.deliver(sam, &resync);
    assert_eq!(drain(&mut tab).len(), 2);
}

#[test]
fn no_stream_here_means_nothing_is_kept() {
    let hub = hub_with(16);
    let sam = user();
    hub.deliver(sam, &frame(1));
    assert_eq!(hub.connection_count(), 0);
    assert!(hub.users().is_empty(), "delivering to someone with no stream here keeps nothing");
}

#[test]
fn replay_positions_are_what_every_stream_has_surely_seen() {
    let hub = hub_with(16);
    let (sam, alex) = (user(), user());
    let early = hub.subscribe(sam, login(1));
    assert_eq!(hub.replay_positions(), vec![(sam, 0)], "a stream still reading its catch-up may have seen nothing");
    hub.caught_up(sam, early.connection, 10);
    assert_eq!(hub.replay_positions(), vec![(sam, 10)]);
    hub.deliver(sam, &frame(11));
    assert_eq!(hub.replay_positions(), vec![(sam, 11)]);
    // A later tab caught up further; the earlier one bounds what may have been missed.
    let late = hub.subscribe(sam, login(1));
    assert_eq!(hub.replay_positions(), vec![(sam, 11)], "until its catch-up, the late tab has seen what was delivered");
    hub.caught_up(sam, late.connection, 15);
    assert_eq!(hub.replay_positions(), vec![(sam, 11)]);
    assert_eq!(hub.open_logins(), vec![(sam, login(1))], "one login, two tabs");
    drop(early);
    hub.sweep();
    assert_eq!(hub.replay_positions(), vec![(sam, 15)]);
    let other = hub.subscribe(alex, login(2));
    hub.caught_up(alex, other.connection, 0);
    let mut all = hub.replay_positions();
    all.sort();
    let mut expected = vec![(sam, 15), (alex, 0)];
    expected.sort();
    assert_eq!(all, expected);
}

#[test]
fn a_stuck_connection_is_closed_and_never_delays_the_others() {
    let hub = hub_with(4);
    let sam = user();
    let mut stuck = hub.subscribe(sam, login(1));
    let mut live = hub.subscribe(sam, login(2));
    let mut received = 0;
    for id in 1..=100 {
        hub.deliver(sam, &frame(id));
        received += drain(&mut live).len();
    }
    assert_eq!(received, 100, "the live tab got every event as it was delivered");
    assert_eq!(hub.connections_of(sam), 1, "the stuck tab was dropped");
    // The stuck tab holds only its bounded buffer, then its stream ends (disconnected, not
    // merely empty); the live tab stays open.
    assert_eq!(drain(&mut stuck).len(), 4);
    assert!(matches!(stuck.live.try_recv(), Err(TryRecvError::Disconnected)));
    assert!(matches!(live.live.try_recv(), Err(TryRecvError::Empty)));
}

#[test]
fn force_logout_reaches_only_the_chosen_logins_and_closes_them() {
    let hub = hub_with(8);
    let sam = user();
    let mut ended = hub.subscribe(sam, login(1));
    let mut kept = hub.subscribe(sam, login(2));
    hub.force_logout(sam, &[login(1), login(3)], "Your password was changed");
    let frames = drain(&mut ended);
    assert_eq!(frames.len(), 1);
    assert_eq!(&*frames[0].name, "force_logout");
    assert_eq!(frames[0].id, None);
    assert!(frames[0].data.contains("Your password was changed"));
    assert!(matches!(ended.live.try_recv(), Err(TryRecvError::Disconnected)), "the ended login's stream is closed");
    assert!(drain(&mut kept).is_empty());
    assert_eq!(hub.connections_of(sam), 1);
    hub.deliver(sam, &frame(1));
    assert_eq!(drain(&mut kept).len(), 1, "the kept login still gets events");
}

#[test]
fn closed_connections_and_idle_users_are_swept() {
    let hub = hub_with(8);
    let sam = user();
    let tab = hub.subscribe(sam, login(1));
    drop(tab);
    hub.sweep();
    assert_eq!(hub.connection_count(), 0);
    assert!(hub.users().is_empty());
}

#[test]
fn close_all_ends_every_open_stream() {
    let hub = hub_with(8);
    let (sam, alex) = (user(), user());
    let mut tabs = [hub.subscribe(sam, login(1)), hub.subscribe(sam, login(2)), hub.subscribe(alex, login(3))];
    hub.deliver(sam, &frame(1));
    hub.deliver(alex, &frame(1));
    assert_eq!(hub.connection_count(), 3);
    hub.close_all();
    assert_eq!(hub.connection_count(), 0);
    for tab in &mut tabs {
        assert_eq!(drain(tab).len(), 1, "what was sent before is still delivered");
        assert!(matches!(tab.live.try_recv(), Err(TryRecvError::Disconnected)));
    }
}

#[test]
fn a_person_holds_at_most_the_cap_over_all_sign_ins_and_the_oldest_goes_first() {
    let hub = Hub::new(HubSettings { streams_per_person: 3, ..HubSettings::default() });
    let (sam, alex) = (user(), user());
    let mut oldest = hub.subscribe(sam, login(1));
    let mut kept: Vec<Subscription> = vec![hub.subscribe(sam, login(2)), hub.subscribe(sam, login(3))];
    let _alex = hub.subscribe(alex, login(9));
    // A fourth sign-in's stream closes the oldest, whatever login it belongs to.
    kept.push(hub.subscribe(sam, login(4)));
    assert_eq!(hub.connections_of(sam), 3);
    assert!(matches!(oldest.live.try_recv(), Err(TryRecvError::Disconnected)), "the oldest is closed");
    hub.deliver(sam, &frame(1));
    assert!(kept.iter_mut().all(|stream| drain(stream).len() == 1), "the newer ones are served");
    assert_eq!(hub.connections_of(alex), 1, "someone else's streams are not touched");
    // A stream whose client left frees its place without closing another.
    drop(kept.pop());
    let _again = hub.subscribe(sam, login(5));
    hub.deliver(sam, &frame(2));
    assert!(kept.iter_mut().all(|stream| drain(stream).len() == 1));
}

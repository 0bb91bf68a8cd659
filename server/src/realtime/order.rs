//! What a stream does with each live frame. A person's ids are contiguous and every one of
//! their events goes to every one of their streams, so after id N a stream must see N + 1:
//! anything at or below what it sent came twice, and anything beyond N + 1 means an event
//! was lost on the way (a notification that could not be read, a delivery that never ran).
//! A lost event cannot be sent late, since the client's last id already moved past it:
//! the stream ends instead, the client reconnects with the last id it has, and the
//! database replays the gap (or the client resyncs).

use tandem_protocol::{Event, Resync};

use super::Frame;

/// The decision for one live frame.
#[derive(Debug, PartialEq, Eq)]
pub enum Live {
    /// Send it.
    Send,
    /// Already sent (from the catch-up, or delivered twice): skip it.
    Skip,
    /// An id is missing before it: end the stream.
    Gap,
}

/// Decides for `frame` and moves `seen_through` (the newest id sent) on.
pub fn next(frame: &Frame, seen_through: &mut u64) -> Live {
    let Some(id) = frame.id else { return Live::Send };
    if id <= *seen_through {
        return Live::Skip;
    }
    // A resync covers every gap before it by design.
    if id == *seen_through + 1 || *frame.name == *Event::Resync(Resync {}).name() {
        *seen_through = id;
        return Live::Send;
    }
    Live::Gap
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use tandem_protocol::ForceLogout;

    use super::*;

    fn frame(name: &str, id: Option<u64>) -> Frame {
        Frame::new(id, Arc::from(name), Arc::from("{}"))
    }

    #[test]
    fn the_next_id_is_sent_older_ones_skipped_and_a_missing_one_ends_the_stream() {
        let mut seen = 10;
        assert_eq!(next(&frame("note_created", Some(9)), &mut seen), Live::Skip);
        assert_eq!(next(&frame("note_created", Some(10)), &mut seen), Live::Skip);
        assert_eq!(next(&frame("note_created", Some(11)), &mut seen), Live::Send);
        assert_eq!(seen, 11);
        assert_eq!(next(&frame("note_created", Some(13)), &mut seen), Live::Gap);
        assert_eq!(seen, 11, "a gap moves nothing");
    }

    #[test]
    fn frames_without_an_id_and_resyncs_always_go_through() {
        let mut seen = 4;
        let logout = Event::ForceLogout(ForceLogout { reason: "bye".into() });
        assert_eq!(next(&frame(logout.name(), None), &mut seen), Live::Send);
        assert_eq!(next(&frame("resync", Some(40)), &mut seen), Live::Send);
        assert_eq!(seen, 40);
    }
}

//! What an inbox item says and where it leads [extension]: the same words and address in the
//! header's bell and in a browser notification.

use tandem_protocol::{Notification, NotificationKind};

use yew_router::Routable;

use crate::routes::Route;

/// What the other person did, after their name: "Alex Morgan" + " assigned you an action".
pub fn what(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::ActionAssigned => " assigned you an action",
        NotificationKind::SessionScheduled => " scheduled a session",
        NotificationKind::SessionMoved => " moved a session",
        NotificationKind::SessionCancelled => " cancelled a session",
        NotificationKind::AgreementAdded => " added an agreement",
        NotificationKind::TopicAdded => " added a topic",
    }
}

/// The page an item leads to, and its address: its session, with the action to highlight
/// (the reference's deep link) or the agreements panel. None without a session.
pub fn address(item: &Notification) -> Option<(Route, String)> {
    let route = Route::CoachingSession { id: item.coaching_session_id? };
    let mut href = route.to_path();
    match (item.kind, item.action_id) {
        (NotificationKind::ActionAssigned, Some(action)) => {
            href.push_str("?highlight=");
            href.push_str(&action.to_string());
        }
        (NotificationKind::AgreementAdded, _) => href.push_str("?panel=agreements"),
        _ => {}
    }
    Some((route, href))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{notification, S1};

    #[test]
    fn each_kind_leads_to_its_session_and_reads_after_a_name() {
        let action = notification(9, 0);
        let (route, href) = address(&action).unwrap();
        assert_eq!(route, Route::CoachingSession { id: S1 });
        assert_eq!(href, format!("/coaching-sessions/{S1}?highlight={}", action.action_id.unwrap()));
        let agreement = Notification { kind: NotificationKind::AgreementAdded, action_id: None, ..action.clone() };
        assert_eq!(address(&agreement).unwrap().1, format!("/coaching-sessions/{S1}?panel=agreements"));
        for kind in [
            NotificationKind::SessionScheduled,
            NotificationKind::SessionMoved,
            NotificationKind::SessionCancelled,
            NotificationKind::TopicAdded,
        ] {
            let item = Notification { kind, action_id: None, ..action.clone() };
            assert_eq!(address(&item).unwrap().1, format!("/coaching-sessions/{S1}"), "{kind:?}");
        }
        assert_eq!(address(&Notification { coaching_session_id: None, ..action }), None);
        for kind in NotificationKind::ALL {
            assert!(what(kind).starts_with(' '), "{kind:?}");
        }
        assert_eq!(format!("Alex Morgan{}", what(NotificationKind::AgreementAdded)), "Alex Morgan added an agreement");
    }
}

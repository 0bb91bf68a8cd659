//! Under a session's title: whether it is scheduled, under way or held, the relationship it
//! belongs to, the meeting link, and the previous and next session of that relationship.

use chrono::{DateTime, Duration, Utc};
use tandem_protocol::{CoachingRelationship, CoachingSession, CoachingSessionId, LoginUser};
use yew::prelude::*;

use crate::components::app_link::AppLink;
use crate::domain::relationships::relationship_label;
use crate::domain::sessions::{session_name, sessions_around};
use crate::hooks::use_resource;
use crate::routes::Route;
use crate::time;

/// Where a session stands in time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SessionState {
    Scheduled,
    UnderWay,
    Held,
}

impl SessionState {
    /// The state of `session` at `now`: under way from its start for its duration.
    pub fn of(session: &CoachingSession, now: DateTime<Utc>) -> Self {
        let start = session.date.and_utc();
        let end = start + Duration::minutes(i64::from(session.duration_minutes));
        if now < start {
            SessionState::Scheduled
        } else if now < end {
            SessionState::UnderWay
        } else {
            SessionState::Held
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SessionState::Scheduled => "Scheduled",
            SessionState::UnderWay => "Under way",
            SessionState::Held => "Held",
        }
    }

    fn class(self) -> &'static str {
        match self {
            SessionState::Scheduled => "pill pill-scheduled",
            SessionState::UnderWay => "pill pill-live",
            SessionState::Held => "pill pill-held",
        }
    }
}

/// The sessions before and after `id` in `list` (sorted by date), when it is there.
fn neighbours(list: &[CoachingSession], id: CoachingSessionId) -> (Option<&CoachingSession>, Option<&CoachingSession>) {
    match list.iter().position(|s| s.id == id) {
        Some(at) => (at.checked_sub(1).and_then(|before| list.get(before)), list.get(at + 1)),
        None => (None, None),
    }
}

/// A meeting link the page may open: web addresses only (never `javascript:` and the like).
fn safe_meeting_url(url: Option<&str>) -> Option<&str> {
    url.map(str::trim).filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// Props of [`SessionOverview`].
#[derive(Properties, PartialEq)]
pub struct SessionOverviewProps {
    pub session: CoachingSession,
    pub me: LoginUser,
    pub relationship: Option<CoachingRelationship>,
}

/// The facts line and the way to the neighbouring sessions.
#[component]
pub fn SessionOverview(props: &SessionOverviewProps) -> Html {
    crate::render_count::count_render();
    let session = &props.session;
    let list = use_resource(sessions_around(session.coaching_relationship_id, session.date.date()));
    let state = SessionState::of(session, time::now());
    let relationship = props.relationship.as_ref();
    let link = |other: &CoachingSession, testid: &'static str, text: String| {
        html! {
            <span data-testid={testid}>
                <AppLink to={Route::CoachingSession { id: other.id }}>{ text }</AppLink>
            </span>
        }
    };
    let (previous, next) = list.data.as_ref().map_or((None, None), |list| neighbours(list, session.id));
    let local = |other: &CoachingSession| time::format_date_time(time::session_local(other.date, &props.me.timezone));
    html! {
        <div class="session-overview">
            <p class="session-facts">
                <span class={state.class()} data-testid="session-state">{ state.label() }</span>
                if let Some(r) = relationship {
                    <span data-testid="session-relationship">{ relationship_label(r, Some(&props.me)) }</span>
                }
                if let Some(url) = safe_meeting_url(session.meeting_url.as_deref()) {
                    <a href={url.to_owned()} target="_blank" rel="noopener noreferrer" class="button-secondary button-small">
                        { "Join the meeting" }
                    </a>
                }
            </p>
            if previous.is_some() || next.is_some() {
                <nav class="session-neighbours" aria-label="Sessions of this relationship">
                    if let Some(before) = previous {
                        { link(before, "previous-session", format!("← {} · {}", session_name(before, relationship), local(before))) }
                    }
                    if let Some(after) = next {
                        { link(after, "next-session", format!("{} · {} →", session_name(after, relationship), local(after))) }
                    }
                </nav>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{at, session, R1, S1, S2};

    #[test]
    fn a_session_is_scheduled_then_under_way_for_its_duration_then_held() {
        // fixtures::session: 2026-11-30 10:00 UTC, 60 minutes.
        let s = session(S1, R1, 11, 30, 0);
        let start = s.date.and_utc();
        assert_eq!(SessionState::of(&s, start - Duration::seconds(1)), SessionState::Scheduled);
        assert_eq!(SessionState::of(&s, start), SessionState::UnderWay);
        assert_eq!(SessionState::of(&s, start + Duration::minutes(59)), SessionState::UnderWay);
        assert_eq!(SessionState::of(&s, start + Duration::minutes(60)), SessionState::Held);
        assert_eq!(SessionState::of(&s, at(0) + Duration::days(30)), SessionState::Held);
    }

    #[test]
    fn neighbours_are_the_sessions_either_side_by_date() {
        let s3 = CoachingSessionId(uuid::Uuid::from_u128(99));
        let list = [session(S1, R1, 11, 1, 0), session(S2, R1, 11, 8, 0), session(s3, R1, 11, 15, 0)];
        let ids = |(a, b): (Option<&CoachingSession>, Option<&CoachingSession>)| (a.map(|s| s.id), b.map(|s| s.id));
        assert_eq!(ids(neighbours(&list, S2)), (Some(S1), Some(s3)));
        assert_eq!(ids(neighbours(&list, S1)), (None, Some(S2)));
        assert_eq!(ids(neighbours(&list, s3)), (Some(S2), None));
        assert_eq!(ids(neighbours(&list[..1], S2)), (None, None));
    }

    #[test]
    fn only_web_addresses_are_linked() {
        assert_eq!(safe_meeting_url(Some(" https://meet.example/abc ")), Some("https://meet.example/abc"));
        assert_eq!(safe_meeting_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_meeting_url(None), None);
    }
}

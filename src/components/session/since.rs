//! "New since your last visit": opening a session records the visit
//! (`POST /coaching_sessions/{id}/view`); the topics, agreements and actions the other person
//! created or changed since the previous visit, and the notes, carry a "New" marker until the
//! person marks them seen (or opens the session again, which starts a new visit).
//!
//! Tandem's server names what changed [extension]. The reference only answers when the
//! previous visit was; then an item is new when it changed after it and someone else added it.

use chrono::{DateTime, Utc};
use tandem_protocol::{Action, Agreement, ChangedSince, CoachingSessionId, LoginUser, Topic, UserId};
use yew::prelude::*;

use crate::api;
use crate::time;

/// What the page knows of the person's previous visit, shared with the panels by context.
#[derive(Clone, PartialEq, Default)]
pub struct SinceVisit {
    /// When the person had last opened the session before now (`None`: the first visit, or
    /// not answered yet): nothing is new then.
    previous: Option<DateTime<Utc>>,
    /// What someone else changed, as the server says [extension].
    changed: Option<ChangedSince>,
    me: Option<UserId>,
    /// The person marked everything seen.
    seen: bool,
}

/// Something of a session that can be new to a person.
pub trait Marked {
    /// Whether the server's list of changes names it.
    fn named_in(&self, changed: &ChangedSince) -> bool;
    /// Who added it.
    fn author(&self) -> UserId;
    fn updated_at(&self) -> DateTime<Utc>;
}

impl Marked for Topic {
    fn named_in(&self, changed: &ChangedSince) -> bool {
        changed.topics.contains(&self.id)
    }
    fn author(&self) -> UserId {
        self.user_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

impl Marked for Agreement {
    fn named_in(&self, changed: &ChangedSince) -> bool {
        changed.agreements.contains(&self.id)
    }
    fn author(&self) -> UserId {
        self.user_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

impl Marked for Action {
    fn named_in(&self, changed: &ChangedSince) -> bool {
        changed.actions.contains(&self.id)
    }
    fn author(&self) -> UserId {
        self.user_id
    }
    fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

impl SinceVisit {
    /// As seen by `me` (whose own changes are never new to them).
    pub fn for_person(self, me: UserId) -> Self {
        SinceVisit { me: Some(me), ..self }
    }

    /// Whether `item` changed by someone else since the previous visit, and is not yet seen.
    pub fn is_new(&self, item: &impl Marked) -> bool {
        let Some(previous) = self.previous.filter(|_| !self.seen) else { return false };
        match &self.changed {
            Some(changed) => item.named_in(changed),
            None => item.updated_at() > previous && Some(item.author()) != self.me,
        }
    }

    /// Whether someone else changed the notes since the previous visit (known from Tandem's
    /// server only: the reference's notes do not say who wrote last).
    pub fn notes_changed(&self) -> bool {
        !self.seen && self.previous.is_some() && self.changed.as_ref().is_some_and(|c| c.notes)
    }

    /// How many items of each kind the server names, when it names any.
    fn counts(&self) -> Option<(usize, usize, usize, bool)> {
        let changed = self.changed.as_ref().filter(|_| !self.seen && self.previous.is_some())?;
        let counts = (changed.topics.len(), changed.agreements.len(), changed.actions.len(), changed.notes);
        (counts != (0, 0, 0, false)).then_some(counts)
    }
}

/// The "New" marker of `item`, when it is new to the person.
pub fn new_marker(since: Option<&SinceVisit>, item: &impl Marked) -> Html {
    if since.is_some_and(|s| s.is_new(item)) {
        html! { <span class="badge badge-new" data-testid="new-marker">{ "New" }</span> }
    } else {
        Html::default()
    }
}

/// Records the visit once per session opened, and keeps what it answered for that session
/// (moving to another session shows nothing of the last one's until its own answer).
#[hook]
pub fn use_since_visit(session: CoachingSessionId) -> (SinceVisit, Callback<()>) {
    let state = use_state(|| None::<(CoachingSessionId, SinceVisit)>);
    {
        let state = state.clone();
        use_effect_with(session, move |session| {
            let session = *session;
            wasm_bindgen_futures::spawn_local(async move {
                // A server without the route (or a failure) leaves nothing marked: the
                // markers are a help, never in the way.
                if let Ok(viewed) = api::sessions::mark_viewed(session).await {
                    let since = SinceVisit {
                        previous: viewed.previous_last_viewed_at,
                        changed: viewed.changed_by_others,
                        me: None,
                        seen: false,
                    };
                    state.set(Some((session, since)));
                }
            });
        });
    }
    let current = (*state).clone().filter(|(of, _)| *of == session).map(|(_, since)| since).unwrap_or_default();
    let mark_seen = {
        let (state, current) = (state.clone(), current.clone());
        Callback::from(move |()| state.set(Some((session, SinceVisit { seen: true, ..current.clone() }))))
    };
    (current, mark_seen)
}

/// Props of [`SinceBanner`].
#[derive(Properties, PartialEq)]
pub struct SinceBannerProps {
    pub since: SinceVisit,
    pub me: LoginUser,
    pub mark_seen: Callback<()>,
}

/// What changed since the previous visit, in words, with "Mark as seen".
#[component]
pub fn SinceBanner(props: &SinceBannerProps) -> Html {
    let (Some((topics, agreements, actions, notes)), Some(previous)) = (props.since.counts(), props.since.previous)
    else {
        return Html::default();
    };
    let mut parts: Vec<String> = [(topics, "topic"), (agreements, "agreement"), (actions, "action")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if n == 1 { "" } else { "s" }))
        .collect();
    if notes {
        parts.push("the notes".into());
    }
    let when = time::format_date_time(time::to_local(previous, &props.me.timezone));
    let onclick = props.mark_seen.reform(|_: MouseEvent| ());
    html! {
        <div class="since-banner" role="status" data-testid="since-banner">
            <p>{ format!("Changed since your last visit ({when}): {}. Marked “New” below.", list_in_words(&parts)) }</p>
            <button type="button" class="button-quiet button-small" {onclick}>{ "Mark as seen" }</button>
        </div>
    }
}

/// "a, b and c".
fn list_in_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stores::fixtures::{at, topic, ME, S1, SAM};
    use tandem_protocol::TopicId;
    use uuid::Uuid;

    /// Topic `n`, added by `author`, last changed at second `version`.
    fn by(n: u128, author: UserId, version: u32) -> Topic {
        Topic { user_id: author, ..topic(n, S1, "Topic", 0, version) }
    }

    fn visit(previous: Option<DateTime<Utc>>, changed: Option<ChangedSince>) -> SinceVisit {
        SinceVisit { previous, changed, me: Some(ME), seen: false }
    }

    #[test]
    fn the_servers_list_decides_when_it_sends_one() {
        let (named, other) = (by(7, ME, 10), by(8, SAM, 10));
        let changed = ChangedSince { topics: vec![named.id], ..Default::default() };
        let since = visit(Some(at(0)), Some(changed));
        assert!(since.is_new(&named));
        assert!(!since.is_new(&other));
        assert!(!SinceVisit { seen: true, ..since.clone() }.is_new(&named), "marked seen");
        assert!(!visit(None, since.changed.clone()).is_new(&named), "a first visit marks nothing");
    }

    #[test]
    fn against_the_reference_the_others_later_changes_are_new() {
        let since = visit(Some(at(30)), None);
        assert!(since.is_new(&by(7, SAM, 40)));
        assert!(!since.is_new(&by(7, SAM, 20)), "before the visit");
        assert!(!since.is_new(&by(7, ME, 40)), "my own");
        assert!(!since.notes_changed(), "the reference cannot say who changed the notes");
    }

    #[test]
    fn the_banner_counts_only_what_the_server_named() {
        let changed = ChangedSince { topics: vec![TopicId(Uuid::from_u128(7))], notes: true, ..Default::default() };
        assert_eq!(visit(Some(at(0)), Some(changed)).counts(), Some((1, 0, 0, true)));
        assert_eq!(visit(Some(at(0)), Some(ChangedSince::default())).counts(), None);
        assert_eq!(
            list_in_words(&["1 topic".into(), "2 actions".into(), "the notes".into()]),
            "1 topic, 2 actions and the notes"
        );
    }
}

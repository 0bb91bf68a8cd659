//! Editing something the other person may change at the same time.
//!
//! An edit form remembers the version it started from ([`use_edit_base`]) and sends it with
//! the save, so Tandem's server refuses a save over a newer version with 409 and the
//! version now (see `tandem_protocol::versions`). The form then says who changed it and
//! offers the choice ([`StaleChoice`]): keep mine (save again, over theirs) or take theirs
//! (close the form). It also says so at once, live, when the version on screen changes
//! under the open form. A server without versions (the reference backend) never refuses;
//! the live notice still shows.

use chrono::{DateTime, Utc};
use tandem_protocol::{StaleWrite, UserId};
use yew::prelude::*;

use crate::api::ApiError;
use crate::stores::merge::Versioned;

/// The version an open edit form started from.
#[derive(Clone, PartialEq)]
pub struct EditBase {
    base: UseStateHandle<Option<DateTime<Utc>>>,
}

impl EditBase {
    /// Opens the form on `current`.
    pub fn start(&self, current: &impl Versioned) {
        self.base.set(Some(current.updated_at()));
    }

    /// The version to send with the save: where the form started, or `current`.
    pub fn version(&self, current: &impl Versioned) -> DateTime<Utc> {
        (*self.base).unwrap_or_else(|| current.updated_at())
    }

    /// Builds on `theirs` from now on (keep mine: the next save goes over it).
    pub fn rebase(&self, theirs: &impl Versioned) {
        self.base.set(Some(theirs.updated_at()));
    }

    /// Whether `current` is newer than the version the form started from.
    pub fn changed_under(&self, current: &impl Versioned) -> bool {
        (*self.base).is_some_and(|base| current.updated_at() != base)
    }
}

/// Remembers the version an edit form starts from.
#[hook]
pub fn use_edit_base() -> EditBase {
    EditBase { base: use_state(|| None) }
}

/// What an open edit form should say about the other person's change.
pub enum Stale<T> {
    /// Nothing: the form edits the version on screen.
    Fresh,
    /// The server refused the save: this is the version now, and who made it.
    Refused(StaleWrite<T>),
    /// The version on screen changed under the form.
    ChangedUnder,
}

impl<T: Versioned + serde::de::DeserializeOwned> Stale<T> {
    /// Where a form stands, from its save's error and the version on screen.
    pub fn of(base: &EditBase, save_error: Option<&ApiError>, current: &T) -> Stale<T> {
        let refused = save_error.and_then(ApiError::stale_write::<T>);
        match refused {
            // A refusal the person already answered (took or built on theirs) is over.
            Some(refusal) if base.version(current) != refusal.current.updated_at() => Stale::Refused(refusal),
            _ if base.changed_under(current) => Stale::ChangedUnder,
            _ => Stale::Fresh,
        }
    }
}

/// Whether an error is the refusal of a stale save (shown as a choice, not as an error).
pub fn is_stale_refusal(error: &ApiError) -> bool {
    error.stale_write::<serde::de::IgnoredAny>().is_some()
}

/// The name of the person who changed something, from the relationship's two people.
pub fn name_of(people: &[(UserId, String)], who: Option<UserId>) -> Option<String> {
    let who = who?;
    people.iter().find(|(id, _)| *id == who).map(|(_, name)| name.clone())
}

/// Props of [`StaleChoice`].
#[derive(Properties, PartialEq)]
pub struct StaleChoiceProps {
    /// Who changed it, when known.
    pub who: Option<AttrValue>,
    /// Their version, in words.
    pub theirs: AttrValue,
    /// Whether the save was refused (else: the change was seen live, before saving).
    pub refused: bool,
    pub on_keep_mine: Callback<()>,
    pub on_take_theirs: Callback<()>,
}

/// Says that the other person changed what is being edited, and offers the choice.
#[component]
pub fn StaleChoice(props: &StaleChoiceProps) -> Html {
    let who = props.who.clone().unwrap_or_else(|| AttrValue::from("Someone else"));
    let what = if props.refused {
        format!("Not saved: {who} changed this after you started editing.")
    } else {
        format!("{who} just changed this while you are editing it.")
    };
    let keep = props.on_keep_mine.reform(|_: MouseEvent| ());
    let take = props.on_take_theirs.reform(|_: MouseEvent| ());
    html! {
        <div class="conflict" role="alert" data-testid="stale-choice">
            <p>{ what }{ " Their version:" }</p>
            <blockquote>{ props.theirs.clone() }</blockquote>
            <button type="button" class="button-primary button-auto" onclick={keep}>
                { if props.refused { "Keep mine" } else { "Keep editing mine" } }
            </button>
            <button type="button" class="button-quiet" onclick={take}>{ "Take theirs" }</button>
        </div>
    }
}

/// The choice an open edit form shows about the other person's change, or nothing.
/// `resend` saves the form again on the given version (keep mine, after a refusal); `take`
/// closes the form on their version.
pub fn choice_for<T: Versioned + serde::de::DeserializeOwned>(
    base: &EditBase,
    save_error: Option<&ApiError>,
    current: &T,
    people: &[(UserId, String)],
    describe: fn(&T) -> String,
    resend: Callback<DateTime<Utc>>,
    take: Callback<T>,
) -> Html {
    let (theirs, refused, who) = match Stale::of(base, save_error, current) {
        Stale::Fresh => return Html::default(),
        Stale::Refused(stale) => (stale.current, true, stale.changed_by),
        Stale::ChangedUnder => (current.clone(), false, None),
    };
    let keep_mine = {
        let (base, theirs) = (base.clone(), theirs.clone());
        Callback::from(move |()| {
            base.rebase(&theirs);
            if refused {
                resend.emit(theirs.updated_at());
            }
        })
    };
    let described = AttrValue::from(describe(&theirs));
    let take_theirs = take.reform(move |()| theirs.clone());
    html! {
        <StaleChoice who={name_of(people, who).map(AttrValue::from)} theirs={described} {refused}
            on_keep_mine={keep_mine} on_take_theirs={take_theirs} />
    }
}

//! `use_versioned_edit`: an edit form on something the other person may change at the same
//! time ([`crate::components::stale`]). It holds whether the form is open, the version the
//! form started from, the draft last sent, and the choice shown when the other person
//! changed it: keep mine (save the same draft again, over their version) or take theirs
//! (close the form on it). Every edit form uses it, so the rules live in one place.
//!
//! ```ignore
//! let edit = use_versioned_edit(agreement, &people, described,
//!     move |body: String, based_on| async move { api::agreements::update(id, &input(body), based_on).await },
//!     written::agreement_saved);
//! edit.submit.emit(body);
//! ```

use std::future::Future;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use tandem_protocol::UserId;
use yew::prelude::*;

use super::use_mutation;
use crate::api::ApiError;
use crate::components::stale::{choice_for, is_stale_refusal, use_edit_base};
use crate::stores::merge::Versioned;

/// What an edit form gets from [`use_versioned_edit`].
pub struct VersionedEdit<D> {
    /// The form is open.
    pub editing: bool,
    /// A save is on its way.
    pub pending: bool,
    /// The last save's error, unless it was the refusal of a stale save (that is `choice`).
    pub error: Option<ApiError>,
    /// The choice about the other person's change, or nothing.
    pub choice: Html,
    /// Opens the form on the version on screen (the form fills its own draft).
    pub open: Callback<()>,
    /// Saves a draft, based on the version the form was opened on.
    pub submit: Callback<D>,
    /// Closes the form without saving.
    pub cancel: Callback<()>,
}

/// See the module documentation. `current` is the version on screen, `people` the
/// relationship's two people (to name who changed it), `describe` their version in words,
/// `save` the write of a draft on a version, and `saved` what a saved or taken version does
/// to the cache.
#[hook]
pub fn use_versioned_edit<T, D, F, Fut>(
    current: &T,
    people: &[(UserId, String)],
    describe: fn(&T) -> String,
    save: F,
    saved: fn(&T),
) -> VersionedEdit<D>
where
    T: Versioned + DeserializeOwned,
    D: Clone + 'static,
    F: Fn(D, DateTime<Utc>) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let editing = use_state(|| false);
    let base = use_edit_base();
    let last_draft = use_mut_ref(|| None::<D>);
    let write = {
        let (editing, last_draft) = (editing.clone(), last_draft.clone());
        use_mutation(
            move |(draft, based_on): (D, DateTime<Utc>)| {
                *last_draft.borrow_mut() = Some(draft.clone());
                save(draft, based_on)
            },
            move |version: &T| {
                saved(version);
                editing.set(false);
            },
        )
    };
    let choice = if *editing {
        let resend = {
            let (run, last_draft) = (write.run.clone(), last_draft.clone());
            Callback::from(move |version| {
                if let Some(draft) = last_draft.borrow().clone() {
                    run.emit((draft, version));
                }
            })
        };
        let take = {
            let editing = editing.clone();
            Callback::from(move |theirs: T| {
                saved(&theirs);
                editing.set(false);
            })
        };
        choice_for(&base, write.error.as_ref(), current, people, describe, resend, take)
    } else {
        Html::default()
    };
    let open = {
        let (editing, base, current) = (editing.clone(), base.clone(), current.clone());
        Callback::from(move |()| {
            base.start(&current);
            editing.set(true);
        })
    };
    let submit = {
        let (run, base, current) = (write.run.clone(), base.clone(), current.clone());
        Callback::from(move |draft: D| run.emit((draft, base.version(&current))))
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    VersionedEdit {
        editing: *editing,
        pending: write.pending,
        error: write.error.filter(|e| !is_stale_refusal(e)),
        choice,
        open,
        submit,
        cancel,
    }
}

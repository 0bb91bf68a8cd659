//! The agreements of a session: add, edit, delete (with Undo).

use tandem_protocol::{Agreement, AgreementInput, CoachingSessionId, UserId};
use yew::prelude::*;

use super::from_notes::{use_picked, Target};

use crate::api;
use crate::api::resources;
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::{non_blank, set_text};
use crate::components::session::since::{new_marker, SinceVisit};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::undo_toast::{UndoOffer, UndoToast};
use crate::hooks::{use_mutation, use_resource, use_versioned_edit};
use crate::stores::written;

/// Props of [`Agreements`].
#[derive(Properties, PartialEq)]
pub struct AgreementsProps {
    pub session: CoachingSessionId,
    /// The two people of the relationship, (id, name).
    #[prop_or_default]
    pub people: Vec<(UserId, String)>,
}

/// The agreements section.
#[component]
pub fn Agreements(props: &AgreementsProps) -> Html {
    crate::render_count::count_render();
    let agreements = use_resource(resources::agreements(props.session));
    let draft = use_state(String::new);
    let fill = draft.setter();
    use_picked(Target::Agreement, Callback::from(move |text| fill.set(text)));
    let session = props.session;
    let offer = use_state(|| None::<UndoOffer>);
    let serial = use_mut_ref(|| 0u32);
    let restore = use_mutation(api::agreements::restore, written::agreement_saved);
    // A row's agreement was deleted: offer to bring it back.
    let deleted = {
        let (offer, run) = (offer.clone(), restore.run.clone());
        Callback::from(move |agreement: Agreement| {
            *serial.borrow_mut() += 1;
            let run = run.clone();
            offer.set(Some(UndoOffer {
                serial: *serial.borrow(),
                message: "Agreement deleted.".into(),
                undo: Callback::from(move |()| run.emit(agreement.clone())),
            }));
        })
    };
    let add = {
        let draft = draft.clone();
        use_mutation(
            move |body: String| async move {
                api::agreements::create(&AgreementInput { coaching_session_id: session, body: Some(body) }).await
            },
            move |agreement: &Agreement| {
                written::agreement_saved(agreement);
                draft.set(String::new());
            },
        )
    };
    let onsubmit = {
        let (draft, run) = (draft.clone(), add.run.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(body) = non_blank(&draft) {
                run.emit(body);
            }
        })
    };
    let list = match (&agreements.data, &agreements.error) {
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "No agreements yet. Write down below what you both agree on." }</p> }
        }
        (Some(list), _) => html! {
            <ul class="item-list" data-testid="agreements">
                for agreement in list.iter() {
                    <AgreementRow key={agreement.id.to_string()} agreement={agreement.clone()} people={props.people.clone()} deleted={deleted.clone()} />
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="agreements" /> },
    };
    html! {
        <section class="card" aria-labelledby="agreements-title">
            <h2 id="agreements-title">{ "Agreements" }{ super::panel_count(agreements.data.as_ref().map(|l| l.len().to_string())) }</h2>
            { list }
            if let Some(error) = &restore.error {
                <ErrorMessage error={error.clone()} />
            }
            if let Some(shown) = (*offer).clone() {
                <UndoToast key={shown.serial} offer={shown.clone()} on_close={Callback::from(move |()| offer.set(None))} />
            }
            <form class="add-form" {onsubmit}>
                <label for="new-agreement">{ "New agreement" }</label>
                <textarea id="new-agreement" rows="2" value={(*draft).clone()} oninput={set_text(&draft)} />
                if let Some(error) = &add.error {
                    <ErrorMessage error={error.clone()} />
                }
                <button type="submit" class="button-primary button-auto" disabled={add.pending || draft.trim().is_empty()}>{ "Add agreement" }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AgreementRowProps {
    agreement: Agreement,
    people: Vec<(UserId, String)>,
    /// It was deleted (the panel offers Undo).
    deleted: Callback<Agreement>,
}

#[component]
fn AgreementRow(props: &AgreementRowProps) -> Html {
    crate::render_count::count_render();
    let since = use_context::<SinceVisit>();
    let draft = use_state(String::new);
    let (id, session) = (props.agreement.id, props.agreement.coaching_session_id);
    let edit = use_versioned_edit(
        &props.agreement,
        &props.people,
        described,
        move |body: String, based_on| async move {
            let input = AgreementInput { coaching_session_id: session, body: Some(body) };
            api::agreements::update(id, &input, based_on).await
        },
        written::agreement_saved,
    );
    let delete = {
        let (held, on_deleted) = (props.agreement.clone(), props.deleted.clone());
        use_mutation(
            move |()| async move { api::agreements::delete(id).await },
            move |deleted: &tandem_protocol::AgreementId| {
                written::agreement_deleted(session, *deleted);
                on_deleted.emit(held.clone());
            },
        )
    };
    let text = props.agreement.body.clone().unwrap_or_default();
    let error = edit.error.clone().or(delete.error.clone());
    let content = if edit.editing {
        let onsubmit = {
            let (draft, submit) = (draft.clone(), edit.submit.clone());
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                if let Some(body) = non_blank(&draft) {
                    submit.emit(body);
                }
            })
        };
        let cancel = edit.cancel.reform(|_: MouseEvent| ());
        let field = format!("agreement-{id}");
        html! {
            <form class="edit-form" {onsubmit}>
                { edit.choice }
                <label for={field.clone()} class="visually-hidden">{ "Agreement" }</label>
                <textarea id={field} rows="2" value={(*draft).clone()} oninput={set_text(&draft)} />
                <div class="row-actions">
                    <button type="submit" class="button-primary button-auto" disabled={edit.pending}>{ "Save" }</button>
                    <button type="button" class="button-quiet" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </form>
        }
    } else {
        let open = {
            let (open, draft, text) = (edit.open.clone(), draft.clone(), text.clone());
            Callback::from(move |_: MouseEvent| {
                draft.set(text.clone());
                open.emit(());
            })
        };
        html! {
            <>
                <p class="item-text">{ text.clone() }{ new_marker(since.as_ref(), &props.agreement) }</p>
                <div class="row-actions">
                    <button type="button" class="button-quiet button-small" onclick={open} aria-label={format!("Edit agreement: {text}")}>{ "Edit" }</button>
                    <ConfirmButton label="Delete" question="Delete this agreement?" on_confirm={delete.run.clone()} disabled={delete.pending} />
                </div>
            </>
        }
    };
    html! {
        <li class="item" data-testid="agreement">
            { content }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
        </li>
    }
}

/// An agreement in words, for the choice between mine and theirs.
fn described(agreement: &Agreement) -> String {
    agreement.body.clone().unwrap_or_default()
}

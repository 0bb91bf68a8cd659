//! The session's agenda: topics in order; both people add, edit, delete, reorder (drag, or
//! the move buttons, announced) and set the status (deferring moves a topic to the next
//! session); the coachee sets the priority. Deleting and deferring offer Undo.

use tandem_protocol::{CoachingSessionId, Topic, TopicId, TopicPriority, TopicStatus, UserId};
use web_sys::DragEvent;
use yew::prelude::*;

use crate::api::resources;
use crate::api::{self, ApiError};
use crate::components::form::{non_blank, selected_value, set_text};
use crate::components::session::since::{new_marker, SinceVisit};
use crate::components::status::{ErrorMessage, Loading};
use crate::components::undo_toast::{UndoOffer, UndoToast};
use crate::hooks::{use_mutation, use_resource, use_versioned_edit};
use crate::stores::written;

/// Props of [`Topics`].
#[derive(Properties, PartialEq)]
pub struct TopicsProps {
    pub session: CoachingSessionId,
    pub me: UserId,
    /// The signed-in person is the coachee (who alone sets priorities and may delete only
    /// their own topics).
    pub coachee: bool,
    /// The session's day is over in the person's zone: no new topics (the server says 409).
    pub day_over: bool,
    /// The two people of the relationship, (id, name).
    #[prop_or_default]
    pub people: Vec<(UserId, String)>,
}

/// A change of one topic from its row.
#[derive(Clone)]
enum Op {
    Rate(Topic, Option<TopicPriority>),
    Status(Topic, TopicStatus),
    Delete(Topic),
}

/// Writes one topic's change; a refusal of a stale change puts the topic as it now is on screen.
async fn run_op(op: Op) -> Result<(Op, Topic), ApiError> {
    let answer = match &op {
        Op::Rate(topic, priority) => api::topics::rate(topic, *priority).await,
        Op::Status(topic, status) => api::topics::set_status(topic, *status).await,
        Op::Delete(topic) => api::topics::delete(topic.coaching_session_id, topic.id).await,
    };
    if let Err(error) = &answer {
        if let Some(stale) = error.stale_write::<Topic>() {
            written::topic_saved(&stale.current);
        }
    }
    answer.map(|topic| (op, topic))
}

/// The agenda section.
#[component]
pub fn Topics(props: &TopicsProps) -> Html {
    crate::render_count::count_render();
    let topics = use_resource(resources::topics(props.session));
    let session = props.session;
    let draft = use_state(String::new);
    let announced = use_state(String::new);
    let offer = use_state(|| None::<UndoOffer>);
    let serial = use_mut_ref(|| 0u32);
    let add = {
        let draft = draft.clone();
        use_mutation(
            move |body: String| api::topics::create(session, body),
            move |topic: &Topic| {
                written::topic_saved(topic);
                draft.set(String::new());
            },
        )
    };
    // Undo of a delete or a deferral, addressed at the session the topic is now on.
    let undo = use_mutation(
        move |(on, id): (CoachingSessionId, TopicId)| async move { api::topics::undo(on, id).await.map(|t| (on, t)) },
        |(on, topic): &(CoachingSessionId, Topic)| written::topic_left(*on, topic.id, Some(topic)),
    );
    let op = {
        let (offer, serial, undo) = (offer.clone(), serial.clone(), undo.run.clone());
        use_mutation(run_op, move |(op, topic): &(Op, Topic)| {
            let (message, on) = match op {
                Op::Delete(_) => {
                    written::topic_left(session, topic.id, None);
                    ("Topic deleted.", session)
                }
                Op::Status(_, TopicStatus::Deferred) => {
                    written::topic_left(session, topic.id, Some(topic));
                    ("Topic moved to the next session.", topic.coaching_session_id)
                }
                _ => return written::topic_saved(topic),
            };
            *serial.borrow_mut() += 1;
            let id = topic.id;
            offer.set(Some(UndoOffer {
                serial: *serial.borrow(),
                message: message.into(),
                undo: undo.reform(move |()| (on, id)),
            }));
        })
    };
    let reorder = use_mutation(
        move |ids: Vec<TopicId>| api::topics::reorder(session, ids),
        move |list: &Vec<Topic>| written::topics_reordered(session, list),
    );
    let list: Vec<Topic> = topics.data.as_ref().map(|l| l.to_vec()).unwrap_or_default();
    // Moves the topic at `from` to `to` and says so to screen readers.
    let move_to = {
        let (list, announced, run) = (list.clone(), announced.clone(), reorder.run.clone());
        Callback::from(move |(from, to): (usize, usize)| {
            if from == to || from >= list.len() || to >= list.len() {
                return;
            }
            let mut ids: Vec<TopicId> = list.iter().map(|t| t.id).collect();
            let id = ids.remove(from);
            ids.insert(to, id);
            announced.set(format!("“{}” moved to position {} of {}.", list[from].body, to + 1, list.len()));
            run.emit(ids);
        })
    };
    // A topic dropped on the row at `to` (its id travels in the drag's data).
    let dropped = {
        let (list, move_to) = (list.clone(), move_to.clone());
        Callback::from(move |(id, to): (String, usize)| {
            if let Some(from) = list.iter().position(|t| t.id.to_string() == id) {
                move_to.emit((from, to));
            }
        })
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
    let count = list.len();
    let rows = match (&topics.data, &topics.error) {
        (Some(_), _) if count == 0 => {
            html! { <p class="empty">{ "No topics yet. Add what you want to talk about." }</p> }
        }
        (Some(_), _) => html! {
            <ol class="item-list topic-list" data-testid="topics">
                for (at, topic) in list.iter().enumerate() {
                    <TopicRow key={topic.id.to_string()} topic={topic.clone()} {at} {count}
                        coachee={props.coachee} me={props.me} people={props.people.clone()}
                        op={op.run.clone()} move_to={move_to.clone()} dropped={dropped.clone()} />
                }
            </ol>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="topics" /> },
    };
    let error = add.error.clone().or(op.error.clone()).or(reorder.error.clone()).or(undo.error.clone());
    let close = {
        let offer = offer.clone();
        Callback::from(move |()| offer.set(None))
    };
    html! {
        <section class="card" aria-labelledby="topics-title" id="panel-topics">
            <h2 id="topics-title">{ "Agenda" }{ super::panel_count(topics.data.as_ref().map(|l| l.len().to_string())) }</h2>
            { rows }
            <p class="visually-hidden" aria-live="polite" data-testid="topics-announcement">{ (*announced).clone() }</p>
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
            if let Some(shown) = (*offer).clone() {
                <UndoToast key={shown.serial} offer={shown.clone()} on_close={close} />
            }
            if props.day_over {
                <p class="hint" data-testid="topics-locked">{ "This session's day is over: add new topics to the next session." }</p>
            } else {
                <form class="add-form" {onsubmit}>
                    <label for="new-topic">{ "New topic" }</label>
                    <input id="new-topic" type="text" value={(*draft).clone()} oninput={set_text(&draft)} />
                    <button type="submit" class="button-primary button-auto" disabled={add.pending || draft.trim().is_empty()}>{ "Add topic" }</button>
                </form>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TopicRowProps {
    topic: Topic,
    at: usize,
    count: usize,
    coachee: bool,
    me: UserId,
    people: Vec<(UserId, String)>,
    op: Callback<Op>,
    move_to: Callback<(usize, usize)>,
    /// A topic (its id) dropped on this row.
    dropped: Callback<(String, usize)>,
}

#[component]
fn TopicRow(props: &TopicRowProps) -> Html {
    crate::render_count::count_render();
    let since = use_context::<SinceVisit>();
    let draft = use_state(String::new);
    let topic = &props.topic;
    let edit = {
        let topic = topic.clone();
        use_versioned_edit(
            &props.topic,
            &props.people,
            |t: &Topic| t.body.clone(),
            move |body: String, based_on| {
                let topic = topic.clone();
                async move { api::topics::update(&topic, body, based_on).await }
            },
            written::topic_saved,
        )
    };
    let (at, count, text) = (props.at, props.count, topic.body.clone());
    let moved = |to: usize| props.move_to.reform(move |_: MouseEvent| (at, to));
    let author = props.people.iter().find(|(id, _)| *id == topic.user_id).map(|(_, name)| name.clone());
    let priority = if props.coachee {
        let (op, held) = (props.op.clone(), topic.clone());
        let onchange = Callback::from(move |e: Event| {
            let chosen = TopicPriority::ALL.into_iter().find(|p| p.as_str() == selected_value(&e));
            op.emit(Op::Rate(held.clone(), chosen));
        });
        let field = format!("priority-{}", topic.id);
        html! {
            <span class="topic-field">
                <label for={field.clone()}>{ "Priority" }</label>
                <select id={field} {onchange}>
                    <option value="" selected={topic.priority.is_none()}>{ "None" }</option>
                    for p in TopicPriority::ALL {
                        <option value={p.as_str()} selected={topic.priority == Some(p)}>{ p.as_str() }</option>
                    }
                </select>
            </span>
        }
    } else {
        match topic.priority {
            Some(p) => {
                html! { <span class="pill pill-held" data-testid="topic-priority">{ format!("Priority: {}", p.as_str()) }</span> }
            }
            None => Html::default(),
        }
    };
    let status = {
        let (op, held) = (props.op.clone(), topic.clone());
        let onchange = Callback::from(move |e: Event| {
            if let Some(s) = TopicStatus::ALL.into_iter().find(|s| s.as_str() == selected_value(&e)) {
                op.emit(Op::Status(held.clone(), s));
            }
        });
        let field = format!("status-{}", topic.id);
        html! {
            <span class="topic-field">
                <label for={field.clone()}>{ "Status" }</label>
                <select id={field} {onchange}>
                    for s in TopicStatus::ALL {
                        <option value={s.as_str()} selected={topic.status == s}>{ s.as_str() }</option>
                    }
                </select>
            </span>
        }
    };
    let may_delete = !props.coachee || topic.user_id == props.me;
    let insert = {
        let (session, text) = (topic.coaching_session_id, text.clone());
        Callback::from(move |_: MouseEvent| crate::live_notes::append(session, &text))
    };
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
        let field = format!("topic-{}", topic.id);
        html! {
            <form class="edit-form" {onsubmit}>
                { edit.choice.clone() }
                <label for={field.clone()} class="visually-hidden">{ "Topic" }</label>
                <input id={field} type="text" value={(*draft).clone()} oninput={set_text(&draft)} />
                <div class="row-actions">
                    <button type="submit" class="button-primary button-auto" disabled={edit.pending}>{ "Save" }</button>
                    <button type="button" class="button-quiet" onclick={edit.cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
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
        let delete = {
            let (op, held) = (props.op.clone(), topic.clone());
            Callback::from(move |_: MouseEvent| op.emit(Op::Delete(held.clone())))
        };
        html! {
            <>
                <p class="item-text">{ text.clone() }{ new_marker(since.as_ref(), topic) }</p>
                <p class="topic-meta">
                    if let Some(author) = author {
                        <span>{ format!("Added by {author}") }</span>
                    }
                    if topic.moved_from_session_id.is_some() {
                        <span class="pill pill-held">{ "Moved from a previous session" }</span>
                    }
                    { priority }
                </p>
                <div class="row-actions">
                    { status }
                    <button type="button" class="button-quiet button-small" onclick={moved(at.saturating_sub(1))}
                        disabled={at == 0} aria-label={format!("Move up: {text}")}>{ "↑" }</button>
                    <button type="button" class="button-quiet button-small" onclick={moved(at + 1)}
                        disabled={at + 1 >= count} aria-label={format!("Move down: {text}")}>{ "↓" }</button>
                    <button type="button" class="button-quiet button-small" onclick={open} aria-label={format!("Edit topic: {text}")}>{ "Edit" }</button>
                    <button type="button" class="button-quiet button-small" onclick={insert} aria-label={format!("Insert into notes: {text}")}>{ "Insert into notes" }</button>
                    if may_delete {
                        <button type="button" class="button-quiet button-small" onclick={delete} aria-label={format!("Delete topic: {text}")}>{ "Delete" }</button>
                    }
                </div>
            </>
        }
    };
    // Drag and drop: the dragged topic's id travels in the drag's data; a drop on a row moves
    // it to that row's place.
    let id = topic.id.to_string();
    let ondragstart = Callback::from(move |e: DragEvent| {
        if let Some(data) = e.data_transfer() {
            let _ = data.set_data("text/plain", &id);
        }
    });
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let dropped = props.dropped.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(id) = e.data_transfer().and_then(|data| data.get_data("text/plain").ok()) {
                dropped.emit((id, at));
            }
        })
    };
    html! {
        <li class="item topic" data-testid="topic" draggable={(!edit.editing).to_string()}
            {ondragstart} {ondragover} {ondrop}>
            { content }
            if let Some(error) = edit.error.clone() {
                <ErrorMessage {error} />
            }
        </li>
    }
}

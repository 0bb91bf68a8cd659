//! The bell in the header [extension]: how many items of the person's inbox are unread, and
//! a panel of the newest, each a link to where it happened. Opening the panel marks the
//! unread items it shows read; the server tells every tab and device of the person
//! (`notifications_read`), and each applies that to its cache, so the count clears
//! everywhere. New items arrive as events, into the cache, without a request. On a server
//! without an inbox (the reference backend) the bell is not shown, and not asked for again
//! while the page lives.

use std::cell::Cell;

use tandem_protocol::{LoginUser, MarkRead, NotificationId};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::status::ErrorMessage;
use crate::api::{self, resources};
use crate::domain::notifications::{address, what};
use crate::hooks::use_resource_when;
use crate::navigation::use_go_to;
use crate::time;

thread_local! {
    /// The server has no inbox: found once per page.
    static MISSING: Cell<bool> = const { Cell::new(false) };
}

/// What the panel says when there is nothing in it.
pub const EMPTY: &str =
    "Nothing new. When the other person assigns you an action, schedules a session or adds an agreement, it shows here.";

/// Marks items read (`ids`, or all of them). The server answers every tab and device of the
/// person with `notifications_read`, this one included, whose cache then applies it like any
/// event; a failure leaves them unread, and the next opening tries again.
fn mark_read(which: MarkRead) {
    spawn_local(async move {
        let _ = api::notifications::mark_read(&which).await;
    });
}

/// Props of [`InboxBell`].
#[derive(Properties, PartialEq)]
pub struct InboxBellProps {
    pub me: LoginUser,
}

/// The id of the bell, which takes the focus back when the panel closes with Escape.
const BELL_ID: &str = "inbox-bell";

/// The bell and its panel.
#[component]
pub fn InboxBell(props: &InboxBellProps) -> Html {
    crate::render_count::count_render();
    let missing = MISSING.with(Cell::get);
    let inbox = use_resource_when((!missing).then(|| resources::inbox(props.me.id)));
    // Open: the items that were unread when it opened, which it marked read and still shows
    // as unread until it closes.
    let open = use_state(|| None::<Vec<NotificationId>>);
    let go_to = use_go_to();
    let missing_now = inbox.error.as_ref().is_some_and(|error| error.is_missing_route());
    if missing_now {
        MISSING.with(|missing| missing.set(true));
    }
    if missing || missing_now || (inbox.data.is_none() && inbox.error.is_none()) {
        return Html::default();
    }

    let close = {
        let open = open.clone();
        Callback::from(move |()| open.set(None))
    };
    let toggle = {
        let (open, inbox) = (open.clone(), inbox.data.clone());
        Callback::from(move |_: MouseEvent| {
            if open.is_some() {
                open.set(None);
                return;
            }
            let unread: Vec<NotificationId> = inbox
                .iter()
                .flat_map(|inbox| inbox.items.iter())
                .filter(|item| item.read_at.is_none())
                .map(|item| item.id)
                .collect();
            if !unread.is_empty() {
                mark_read(MarkRead { ids: unread.clone(), all: false });
            }
            open.set(Some(unread));
        })
    };
    let on_key = {
        let (close, is_open) = (close.clone(), open.is_some());
        Callback::from(move |event: KeyboardEvent| {
            if is_open && event.key() == "Escape" {
                close.emit(());
                if let Some(bell) = gloo::utils::document().get_element_by_id(BELL_ID) {
                    let _ = bell.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
        })
    };
    let unread = inbox.data.as_ref().map_or(0, |inbox| inbox.unread);
    let label = if unread == 0 { "Notifications".to_owned() } else { format!("Notifications, {unread} unread") };
    let zone = &props.me.timezone;
    let items = inbox.data.iter().flat_map(|inbox| inbox.items.iter()).map(|item| {
        let fresh = item.read_at.is_none() || open.as_ref().is_some_and(|marked| marked.contains(&item.id));
        let body = html! {
            <>
                if fresh {
                    <span class="visually-hidden">{ "Unread: " }</span>
                }
                <span><strong>{ &item.actor_name }</strong>{ what(item.kind) }</span>
                <span>{ &item.subject }</span>
                <span class="inbox-when">{ time::format_date_time(time::to_local(item.created_at, zone)) }</span>
            </>
        };
        // The address carries the reference's deep link (`?highlight=`, `?panel=`), for a new
        // tab; the session page shows the same without it, so a click opens the route
        // (`GoTo`: through the router in the session app, a full load from the others).
        let body = match address(item) {
            Some((route, href)) => {
                let (go_to, close) = (go_to.clone(), close.clone());
                let follow = Callback::from(move |event: MouseEvent| {
                    if !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key()) {
                        event.prevent_default();
                        close.emit(());
                        go_to.push(&route);
                    }
                });
                html! { <a class="inbox-link" {href} onclick={follow}>{ body }</a> }
            }
            None => html! { <div class="inbox-link">{ body }</div> },
        };
        html! {
            <li class={if fresh { "inbox-item unread" } else { "inbox-item" }} data-testid="inbox-item">{ body }</li>
        }
    });
    let mark_all = Callback::from(|_: MouseEvent| mark_read(MarkRead { ids: Vec::new(), all: true }));
    html! {
        <div class="inbox" onkeydown={on_key}>
            <button id={BELL_ID} type="button" class="button-quiet inbox-bell" data-testid="inbox-bell" aria-label={label.clone()}
                aria-expanded={open.is_some().to_string()} aria-controls="inbox-panel" onclick={toggle}>
                if unread > 0 {
                    <span class="inbox-count" data-testid="inbox-count" aria-hidden="true">{ unread }</span>
                }
            </button>
            <span class="visually-hidden" role="status">{ if unread > 0 { label } else { String::new() } }</span>
            if open.is_some() {
                <div class="menu inbox-panel" id="inbox-panel" data-testid="inbox-panel" role="region" aria-label="Notifications">
                    <div class="inbox-head">
                        <strong>{ "Notifications" }</strong>
                        <button type="button" class="button-quiet button-small" onclick={mark_all} disabled={unread == 0}>
                            { "Mark all read" }
                        </button>
                    </div>
                    if let Some(error) = &inbox.error {
                        <ErrorMessage error={error.clone()} />
                    }
                    if inbox.data.as_ref().is_some_and(|inbox| inbox.items.is_empty()) {
                        <p class="muted">{ EMPTY }</p>
                    } else {
                        <ul class="plain-list">{ for items }</ul>
                    }
                </div>
            }
        </div>
    }
}

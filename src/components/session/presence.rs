//! Who has the session open now [extension]: this page says so every few seconds and goodbye
//! when it goes (unmounted, or the tab closed), and shows the people the server counts as
//! present, each once however many tabs they have. On a server without presence (the
//! reference backend) it says nothing and shows nothing.

use std::cell::Cell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::future::TimeoutFuture;
use tandem_protocol::{CoachingSessionId, UserId, PRESENCE_HEARTBEAT_SECS};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;
use crate::api::resources;
use crate::hooks::use_resource;
use crate::stores::change::{Effect, Entity};
use crate::stores::effects;

/// Props of [`Presence`].
#[derive(Properties, PartialEq)]
pub struct PresenceProps {
    pub session: CoachingSessionId,
    pub me: UserId,
    /// The two people of the relationship, (id, name).
    pub people: Vec<(UserId, String)>,
}

/// A name for this page, unique among the person's open pages.
fn new_tab_name() -> String {
    let random = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("tab-{:08x}-{:x}", random, js_sys::Date::now() as u64)
}

/// Says that this page has `session` open while it is mounted.
#[hook]
fn use_announce_presence(session: CoachingSessionId) {
    use_effect_with(session, move |session| {
        let session = *session;
        let tab = Rc::new(new_tab_name());
        // A server without presence answers 404, 405 or 501: then this page stops asking
        // (and `api::extensions` answers any later call of the page without a request).
        let supported = Rc::new(Cell::new(true));
        let stopped = Rc::new(Cell::new(false));
        {
            let (tab, supported, stopped) = (tab.clone(), supported.clone(), stopped.clone());
            spawn_local(async move {
                while supported.get() && !stopped.get() {
                    let mut every_ms = u32::try_from(PRESENCE_HEARTBEAT_SECS * 1_000).unwrap_or(8_000);
                    match api::presence::hold(session, &tab).await {
                        Ok(present) => {
                            every_ms = present.heartbeat_ms();
                            effects::apply(vec![Effect::Write(Box::new(Entity::Presence(present)))]);
                        }
                        Err(error) if error.is_missing_route() => supported.set(false),
                        // Offline or busy: the next beat tries again.
                        Err(_) => {}
                    }
                    TimeoutFuture::new(every_ms).await;
                }
            });
        }
        let closing = web_sys::window().map(|window| {
            let (tab, supported) = (tab.clone(), supported.clone());
            EventListener::new(&window, "pagehide", move |_| {
                if supported.get() {
                    api::presence::leave(session, &tab);
                }
            })
        });
        move || {
            stopped.set(true);
            drop(closing);
            if supported.get() {
                api::presence::leave(session, &tab);
            }
        }
    });
}

/// The people who have the session open now.
#[component]
pub fn Presence(props: &PresenceProps) -> Html {
    crate::render_count::count_render();
    use_announce_presence(props.session);
    let present = use_resource(resources::presence(props.session));
    let Some(present) = &present.data else { return Html::default() };
    // Coach first, then coachee, as everywhere on the page.
    let mut ids = present.present.clone();
    ids.sort_by_key(|id| props.people.iter().position(|(person, _)| person == id).unwrap_or(usize::MAX));
    let names: Vec<Html> = ids
        .iter()
        .map(|id| {
            let name =
                props.people.iter().find(|(person, _)| person == id).map_or("Someone", |(_, name)| name.as_str());
            let you = *id == props.me;
            html! {
                <li class={classes!("presence-person", you.then_some("you"))} data-testid="present-person">
                    <span class="presence-dot" aria-hidden="true"></span>
                    { name }{ if you { " (you)" } else { "" } }
                </li>
            }
        })
        .collect();
    html! {
        <div class="presence" aria-live="polite" data-testid="presence">
            <span class="presence-label">{ "Here now:" }</span>
            <ul class="presence-people">{ for names }</ul>
        </div>
    }
}

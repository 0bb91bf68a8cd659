//! `/coaching-sessions/{id}`: one session as both people see it: title, agreements,
//! actions, goals and notes.

use tandem_protocol::CoachingSessionId;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::resources;
use crate::api::ApiError;
use crate::components::session::actions::Actions;
use crate::components::session::agreements::Agreements;
use crate::components::session::goals::Goals;
use crate::components::session::notes::Notes;
use crate::components::session::participants;
use crate::components::session::presence::Presence;
use crate::components::session::title::SessionTitle;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::hooks::use_resource;
use crate::hooks::use_workspace::use_workspace;
use crate::routes::Route;

/// Props of [`CoachingSessionPage`].
#[derive(Properties, PartialEq)]
pub struct CoachingSessionPageProps {
    pub id: CoachingSessionId,
}

/// The session page.
#[component]
pub fn CoachingSessionPage(props: &CoachingSessionPageProps) -> Html {
    crate::render_count::count_render();
    html! { <Shell><SessionView id={props.id} /></Shell> }
}

#[component]
fn SessionView(props: &CoachingSessionPageProps) -> Html {
    crate::render_count::count_render();
    let workspace = use_workspace();
    let session = use_resource(resources::session(props.id));
    let relationship_id = session.data.as_ref().map(|s| s.coaching_relationship_id);
    // Opening a session of another relationship makes that one the chosen relationship.
    {
        let workspace = workspace.clone();
        let chosen = workspace.as_ref().and_then(|w| w.relationship.as_ref().map(|r| r.id));
        let known =
            relationship_id.is_some_and(|id| workspace.as_ref().is_some_and(|w| w.relationship_by_id(id).is_some()));
        use_effect_with((relationship_id, chosen, known), move |(wanted, chosen, known)| {
            if let (Some(wanted), true) = (wanted, *known) {
                if Some(*wanted) != *chosen {
                    if let Some(w) = workspace {
                        w.choose_relationship.emit(*wanted);
                    }
                }
            }
        });
    }
    let back = html! { <p class="back"><Link<Route> to={Route::Dashboard}>{ "← All sessions" }</Link<Route>></p> };
    let (Some(workspace), Some(me)) = (workspace.clone(), workspace.as_ref().and_then(|w| w.me.clone())) else {
        return Html::default();
    };
    match (&session.data, &session.error) {
        (Some(current), _) => {
            let relationship = workspace.relationship_by_id(current.coaching_relationship_id).cloned();
            let people = participants(relationship.as_ref());
            let me_id = me.id;
            html! {
                <>
                    { back }
                    <SessionTitle session={(**current).clone()} me={me.clone()} people={people.clone()} />
                    <Presence session={current.id} me={me_id} people={people.clone()} />
                    <div class="session-grid">
                        <div class="session-column">
                            <Agreements session={current.id} people={people.clone()} />
                            <Actions session={current.id} me={me.clone()} people={people.clone()} relationship={current.coaching_relationship_id} />
                        </div>
                        <div class="session-column">
                            <Goals session={current.id} relationship={current.coaching_relationship_id} people={people.clone()} />
                            <Notes session={current.id} me={me_id} {people} />
                        </div>
                    </div>
                </>
            }
        }
        (None, Some(ApiError::NotFound)) => html! {
            <>
                { back }
                <h1>{ "Session not found" }</h1>
                <p>{ "This session does not exist any more. It may have been deleted." }</p>
            </>
        },
        (None, Some(error)) => html! { <>{ back }<ErrorMessage error={error.clone()} /></> },
        (None, None) => html! { <>{ back }<Loading what="the session" /></> },
    }
}

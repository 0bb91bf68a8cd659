//! `/coaching-sessions/{id}`: one session as both people see it: title, agenda, agreements,
//! actions, goals and notes.

use tandem_protocol::{CoachingRelationshipId, CoachingSessionId, OrganizationId};
use yew::prelude::*;

use crate::api::resources;
use crate::api::ApiError;
use crate::components::app_link::AppLink;
use crate::components::session::actions::Actions;
use crate::components::session::agreements::Agreements;
use crate::components::session::deep_link::PanelFromAddress;
use crate::components::session::goals::Goals;
use crate::components::session::notes::Notes;
use crate::components::session::overview::SessionOverview;
use crate::components::session::presence::Presence;
use crate::components::session::since::{use_since_visit, SinceBanner, SinceVisit};
use crate::components::session::title::SessionTitle;
use crate::components::session::topics::Topics;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading};
use crate::domain::relationships::participants;
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
    let (since, mark_seen) = use_since_visit(props.id);
    let back = html! { <p class="back"><AppLink to={Route::Dashboard}>{ "← All sessions" }</AppLink></p> };
    let (Some(workspace), Some(me)) = (workspace.clone(), workspace.as_ref().and_then(|w| w.me.clone())) else {
        return Html::default();
    };
    match (&session.data, &session.error) {
        (Some(current), _) => {
            let relationship = workspace.relationship_by_id(current.coaching_relationship_id).cloned();
            let people = participants(relationship.as_ref());
            let me_id = me.id;
            let coachee = relationship.as_ref().is_some_and(|r| r.coachee_id == me_id);
            // As the server decides it: the session's day, on the adding person's clock.
            let zone = &me.timezone;
            let day_over = crate::time::session_local(current.date, zone).date()
                < crate::time::to_local(crate::time::now(), zone).date();
            let since = since.for_person(me_id);
            html! {
                <ContextProvider<SinceVisit> context={since.clone()}>
                    { back }
                    <FollowRelationship wanted={current.coaching_relationship_id} />
                    <SessionTitle session={(**current).clone()} me={me.clone()} people={people.clone()} relationship={relationship.clone()} />
                    <SessionOverview session={(**current).clone()} me={me.clone()} relationship={relationship.clone()} />
                    <Presence session={current.id} me={me_id} people={people.clone()} />
                    <SinceBanner {since} me={me.clone()} {mark_seen} />
                    <div class="session-grid">
                        <div class="session-column">
                            <Topics session={current.id} me={me_id} {coachee} {day_over} people={people.clone()} />
                            <Agreements session={current.id} people={people.clone()} />
                            <Actions session={current.id} me={me.clone()} people={people.clone()} relationship={current.coaching_relationship_id} date={current.date} />
                        </div>
                        <div class="session-column">
                            <Goals session={current.id} relationship={current.coaching_relationship_id} people={people.clone()} zone={me.timezone.clone()} />
                            <Notes session={current.id} me={me_id} {people} />
                        </div>
                    </div>
                    <PanelFromAddress />
                </ContextProvider<SinceVisit>>
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

/// Props of [`FollowRelationship`].
#[derive(Properties, PartialEq)]
struct FollowRelationshipProps {
    wanted: CoachingRelationshipId,
}

/// Makes the relationship of the session shown the chosen one, with its organization, so the
/// header always matches the page (a link to a session of another relationship, or of
/// another organization, sets both). The API does not say which organization a relationship
/// belongs to: when it is not among the chosen organization's, each other organization of
/// the person is asked for its relationships until one has it.
#[component]
fn FollowRelationship(props: &FollowRelationshipProps) -> Html {
    let workspace = use_workspace();
    let chosen = workspace.as_ref().and_then(|w| w.relationship.as_ref().map(|r| r.id));
    let known = workspace.as_ref().is_some_and(|w| w.relationship_by_id(props.wanted).is_some());
    {
        let workspace = workspace.clone();
        use_effect_with((props.wanted, chosen, known), move |(wanted, chosen, known)| {
            if let (Some(w), true) = (workspace, *known) {
                if Some(*wanted) != *chosen {
                    w.choose_relationship.emit(*wanted);
                }
            }
        });
    }
    let Some(w) = workspace.filter(|w| !known && w.relationships.is_some()) else {
        return Html::default();
    };
    let current = w.organization.as_ref().map(|o| o.id);
    let others = w.organizations.iter().flat_map(|list| list.iter()).filter(|o| Some(o.id) != current);
    html! {
        for o in others {
            <FindInOrganization key={o.id.to_string()} organization={o.id} wanted={props.wanted} />
        }
    }
}

/// Props of [`FindInOrganization`].
#[derive(Properties, PartialEq)]
struct FindInOrganizationProps {
    organization: OrganizationId,
    wanted: CoachingRelationshipId,
}

/// Chooses `wanted` and `organization` once the organization's relationships hold it.
#[component]
fn FindInOrganization(props: &FindInOrganizationProps) -> Html {
    let workspace = use_workspace();
    let relationships = use_resource(resources::relationships(props.organization));
    let found = relationships.data.as_ref().is_some_and(|list| list.iter().any(|r| r.id == props.wanted));
    use_effect_with((found, props.organization, props.wanted), move |(found, organization, wanted)| {
        if let (true, Some(w)) = (*found, workspace) {
            w.show_relationship.emit((*organization, *wanted));
        }
    });
    Html::default()
}

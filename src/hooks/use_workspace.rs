//! The workspace of the signed-in person: their organizations and relationships, and the
//! ones they chose (remembered per person). Provided once by [`WorkspaceProvider`] for the
//! header and the page.

use std::rc::Rc;

use tandem_protocol::{CoachingRelationship, CoachingRelationshipId, LoginUser, Organization, OrganizationId, UserId};
use yew::prelude::*;
use yewdux::{use_store, use_store_value, Dispatch};

use super::use_resource_when;
use crate::api::{resources, ApiError};
use crate::stores::auth::AuthStore;
use crate::stores::preferences::{Choice, Preferences};

/// Where the person works right now.
#[derive(Clone, PartialEq)]
pub struct Workspace {
    pub me: Option<LoginUser>,
    pub organizations: Option<Rc<Vec<Organization>>>,
    pub organization: Option<Organization>,
    pub relationships: Option<Rc<Vec<CoachingRelationship>>>,
    pub relationship: Option<CoachingRelationship>,
    /// Why the organizations or relationships could not be loaded.
    pub error: Option<ApiError>,
    pub choose_organization: Callback<OrganizationId>,
    pub choose_relationship: Callback<CoachingRelationshipId>,
    /// Chooses a relationship of any of the person's organizations, and that organization.
    pub show_relationship: Callback<(OrganizationId, CoachingRelationshipId)>,
}

impl Workspace {
    /// Whether the signed-in person coaches the chosen relationship.
    pub fn is_coach(&self) -> bool {
        matches!((&self.me, &self.relationship), (Some(me), Some(r)) if r.coach_id == me.id)
    }

    /// The relationship with this id among the chosen organization's.
    pub fn relationship_by_id(&self, id: CoachingRelationshipId) -> Option<&CoachingRelationship> {
        self.relationships.as_ref().and_then(|list| list.iter().find(|r| r.id == id))
    }
}

/// Props of [`WorkspaceProvider`].
#[derive(Properties, PartialEq)]
pub struct WorkspaceProviderProps {
    pub children: Html,
}

/// Loads and provides the [`Workspace`].
#[component]
pub fn WorkspaceProvider(props: &WorkspaceProviderProps) -> Html {
    crate::render_count::count_render();
    let auth = use_store_value::<AuthStore>();
    let (preferences, preferences_dispatch) = use_store::<Preferences>();
    let me = auth.user.clone();
    let organizations = use_resource_when(me.as_ref().map(|me| resources::organizations(me.id)));
    let choice = me.as_ref().map(|me| preferences.of(me.id)).unwrap_or_default();
    let organization = organizations
        .data
        .as_ref()
        .and_then(|list| list.iter().find(|o| Some(o.id) == choice.organization).or_else(|| list.first()).cloned());
    let relationships = use_resource_when(organization.as_ref().map(|o| resources::relationships(o.id)));
    let user = me.as_ref().map(|me| me.id);
    // An Admin's list holds every relationship of the organization; the workspace is the
    // person's own.
    let own = use_memo((relationships.data.clone(), user), |(list, user)| {
        list.as_ref().map(|list| match user {
            Some(user) if !list.iter().all(|r| r.has_participant(*user)) => {
                Rc::new(list.iter().filter(|r| r.has_participant(*user)).cloned().collect::<Vec<_>>())
            }
            _ => list.clone(),
        })
    });
    let relationship = own
        .as_ref()
        .as_ref()
        .and_then(|list| list.iter().find(|r| Some(r.id) == choice.relationship).or_else(|| list.first()).cloned());
    {
        // Remember what the person works in, chosen or defaulted, so the next start can
        // request it before the lists arrive (see `crate::preload`).
        let dispatch = preferences_dispatch.clone();
        let resolved = (organization.as_ref().map(|o| o.id), relationship.as_ref().map(|r| r.id));
        use_effect_with((user, resolved), move |(user, (organization, relationship))| {
            if let (Some(user), Some(organization)) = (*user, *organization) {
                let resolved = Choice { organization: Some(organization), relationship: *relationship };
                let known = dispatch.get().of(user);
                if known.organization != resolved.organization
                    || (resolved.relationship.is_some() && known.relationship != resolved.relationship)
                {
                    change_choice(&dispatch, user, &|choice| *choice = resolved);
                }
            }
        });
    }
    // One callback each for the provider's life (per person), so the context compares equal
    // when nothing it holds changed and its consumers do not re-render.
    let choose_organization = {
        let dispatch = preferences_dispatch.clone();
        use_callback(user, move |organization: OrganizationId, user| {
            if let Some(user) = *user {
                change_choice(&dispatch, user, &|choice| {
                    choice.organization = Some(organization);
                    choice.relationship = None;
                });
            }
        })
    };
    let choose_relationship = {
        let dispatch = preferences_dispatch.clone();
        use_callback(user, move |relationship: CoachingRelationshipId, user| {
            if let Some(user) = *user {
                change_choice(&dispatch, user, &|choice| choice.relationship = Some(relationship));
            }
        })
    };
    let show_relationship =
        use_callback(user, move |(organization, relationship): (OrganizationId, CoachingRelationshipId), user| {
            if let Some(user) = *user {
                change_choice(&preferences_dispatch, user, &|choice| {
                    *choice = Choice { organization: Some(organization), relationship: Some(relationship) };
                });
            }
        });
    let workspace = Workspace {
        me,
        organizations: organizations.data.clone(),
        organization,
        relationships: (*own).clone(),
        relationship,
        error: organizations.error.clone().or(relationships.error.clone()),
        choose_organization,
        choose_relationship,
        show_relationship,
    };
    html! {
        <ContextProvider<Workspace> context={workspace}>{ props.children.clone() }</ContextProvider<Workspace>>
    }
}

/// Changes what a person chose (one update path, compiled once).
fn change_choice(dispatch: &Dispatch<Preferences>, user: UserId, change: &dyn Fn(&mut Choice)) {
    dispatch.reduce_mut(|preferences| change(preferences.chosen.entry(user).or_default()));
}

/// The workspace provided above this component.
#[hook]
pub fn use_workspace() -> Option<Workspace> {
    use_context::<Workspace>()
}

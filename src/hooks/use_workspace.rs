//! The workspace of the signed-in person: their organizations and relationships, and the
//! ones they chose (remembered per person). Provided once by [`WorkspaceProvider`] for the
//! header and the page. Until the person picks an organization, they work in one where
//! they have a relationship: the first by name at first, else the first of the others whose
//! relationships include them ([`Landing`]; the API does not say which organization a
//! relationship belongs to).

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
                let known = dispatch.get().of(user);
                let resolved =
                    Choice { organization: Some(organization), relationship: *relationship, picked: known.picked };
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
                    *choice = Choice { organization: Some(organization), relationship: None, picked: true };
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
    let show_relationship = {
        let dispatch = preferences_dispatch.clone();
        use_callback(user, move |(organization, relationship): (OrganizationId, CoachingRelationshipId), user| {
            if let Some(user) = *user {
                change_choice(&dispatch, user, &|choice| {
                    *choice =
                        Choice { organization: Some(organization), relationship: Some(relationship), picked: true };
                });
            }
        })
    };
    // A default organization where the person has no relationship, while others may hold
    // theirs: look in the others, one at a time in the list's order.
    let ruled_out = use_reducer(RuledOut::default);
    let next_to_look_in = {
        let current = organization.as_ref().map(|o| o.id);
        let nothing_here = (*own).as_ref().is_some_and(|list| list.is_empty());
        organizations
            .data
            .iter()
            .flat_map(|list| list.iter().map(|o| o.id))
            .find(|id| Some(*id) != current && !ruled_out.0.contains(id))
            .filter(|_| !choice.picked && nothing_here)
    };
    let looked = {
        let ruled_out = ruled_out.clone();
        use_callback(user, move |(organization, theirs): (OrganizationId, bool), user| match (*user, theirs) {
            (Some(user), true) => change_choice(&preferences_dispatch, user, &|choice| {
                *choice = Choice { organization: Some(organization), relationship: None, picked: false };
            }),
            _ => ruled_out.dispatch(organization),
        })
    };
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
        <ContextProvider<Workspace> context={workspace}>
            { props.children.clone() }
            if let (Some(organization), Some(me)) = (next_to_look_in, user) {
                <Landing key={organization.to_string()} {organization} {me} {looked} />
            }
        </ContextProvider<Workspace>>
    }
}

/// The organizations looked in that hold no relationship of the person.
#[derive(Default, PartialEq)]
struct RuledOut(Vec<OrganizationId>);

impl Reducible for RuledOut {
    type Action = OrganizationId;
    fn reduce(self: Rc<Self>, organization: OrganizationId) -> Rc<Self> {
        Rc::new(RuledOut([self.0.as_slice(), &[organization]].concat()))
    }
}

/// Props of [`Landing`].
#[derive(Properties, PartialEq)]
struct LandingProps {
    organization: OrganizationId,
    me: UserId,
    /// The organization, and whether `me` has a relationship there.
    looked: Callback<(OrganizationId, bool)>,
}

/// Says whether `organization` holds a relationship of `me`, once its list (or its refusal)
/// is in.
#[component]
fn Landing(props: &LandingProps) -> Html {
    let relationships = use_resource_when(Some(resources::relationships(props.organization)));
    let answer = match (&relationships.data, &relationships.error) {
        (Some(list), _) => Some(list.iter().any(|r| r.has_participant(props.me))),
        (None, Some(_)) => Some(false),
        (None, None) => None,
    };
    let (looked, organization) = (props.looked.clone(), props.organization);
    use_effect_with(answer, move |answer| {
        if let Some(theirs) = *answer {
            looked.emit((organization, theirs));
        }
    });
    Html::default()
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

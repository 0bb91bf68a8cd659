//! `/dashboard`: for now, the signed-in person's name and coaching relationships.

use tandem_protocol::{CoachingRelationship, LoginUser, Organization};
use yew::prelude::*;
use yewdux::use_store_value;

use crate::api::{self, ApiError};
use crate::components::shell::Shell;
use crate::stores::auth::AuthStore;

/// The person's organizations, each with the relationships they may see.
type Relationships = Vec<(Organization, Vec<CoachingRelationship>)>;

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Loaded(Relationships),
    Failed(String),
}

async fn load(user: &LoginUser) -> Result<Relationships, ApiError> {
    let mut all = Vec::new();
    for organization in api::users::organizations(user.id).await? {
        let relationships = api::organizations::relationships(organization.id).await?;
        all.push((organization, relationships));
    }
    Ok(all)
}

/// How a relationship reads to the person looking at it.
pub fn describe(relationship: &CoachingRelationship, me: &LoginUser) -> String {
    if relationship.coach_id == me.id {
        format!("You coach {} {}", relationship.coachee_first_name, relationship.coachee_last_name)
    } else if relationship.coachee_id == me.id {
        format!("{} {} coaches you", relationship.coach_first_name, relationship.coach_last_name)
    } else {
        format!(
            "{} {} coaches {} {}",
            relationship.coach_first_name,
            relationship.coach_last_name,
            relationship.coachee_first_name,
            relationship.coachee_last_name
        )
    }
}

/// The dashboard.
#[component]
pub fn DashboardPage() -> Html {
    let auth = use_store_value::<AuthStore>();
    let state = use_state(|| Load::Loading);
    let user = auth.user.clone();
    {
        let state = state.clone();
        let user = user.clone();
        use_effect_with(user.as_ref().map(|u| u.id), move |_| {
            if let Some(user) = user {
                wasm_bindgen_futures::spawn_local(async move {
                    state.set(match load(&user).await {
                        Ok(list) => Load::Loaded(list),
                        Err(error) => Load::Failed(error.message()),
                    });
                });
            }
        });
    }
    let Some(me) = user else { return Html::default() };
    let body = match &*state {
        Load::Loading => html! { <p class="muted" role="status">{ "Loading your coaching relationships…" }</p> },
        Load::Failed(message) => html! { <p class="alert" role="alert">{ message }</p> },
        Load::Loaded(list) if list.iter().all(|(_, r)| r.is_empty()) => {
            html! { <p class="empty">{ "You have no coaching relationships yet." }</p> }
        }
        Load::Loaded(list) => html! {
            for (organization, relationships) in list.iter() {
                <section class="card" aria-label={organization.name.clone()}>
                    <h2>{ &organization.name }</h2>
                    <ul class="plain-list" data-testid="relationships">
                        for relationship in relationships.iter() {
                            <li key={relationship.id.to_string()}>{ describe(relationship, &me) }</li>
                        }
                    </ul>
                </section>
            }
        },
    };
    html! {
        <Shell>
            <h1 data-testid="welcome">{ format!("Welcome, {}", me.name()) }</h1>
            { body }
        </Shell>
    }
}

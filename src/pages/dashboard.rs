//! `/dashboard`: for now, the signed-in person's name and coaching relationships.

use tandem_protocol::{CoachingRelationship, LoginUser, Organization};
use yew::prelude::*;
use yewdux::use_store_value;

use crate::components::shell::Shell;
use crate::hooks::entities::{use_organizations, use_relationships};
use crate::stores::auth::AuthStore;

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

#[derive(Properties, PartialEq)]
struct OrganizationProps {
    organization: Organization,
    me: LoginUser,
}

/// One organization and the relationships the person may see in it.
#[component]
fn OrganizationRelationships(props: &OrganizationProps) -> Html {
    let relationships = use_relationships(props.organization.id);
    let body = match (&relationships.data, &relationships.error) {
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "You have no coaching relationships here yet." }</p> }
        }
        (Some(list), _) => html! {
            <ul class="plain-list" data-testid="relationships">
                for relationship in list.iter() {
                    <li key={relationship.id.to_string()}>{ describe(relationship, &props.me) }</li>
                }
            </ul>
        },
        (None, Some(error)) => html! { <p class="alert" role="alert">{ error.message() }</p> },
        (None, None) => html! { <p class="muted" role="status">{ "Loading coaching relationships…" }</p> },
    };
    html! {
        <section class="card" aria-label={props.organization.name.clone()}>
            <h2>{ &props.organization.name }</h2>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OrganizationsProps {
    me: LoginUser,
}

#[component]
fn Organizations(props: &OrganizationsProps) -> Html {
    let organizations = use_organizations(props.me.id);
    match (&organizations.data, &organizations.error) {
        (Some(list), _) if list.is_empty() => {
            html! { <p class="empty">{ "You are not part of any organization yet." }</p> }
        }
        (Some(list), _) => html! {
            for organization in list.iter() {
                <OrganizationRelationships key={organization.id.to_string()} organization={organization.clone()} me={props.me.clone()} />
            }
        },
        (None, Some(error)) => html! { <p class="alert" role="alert">{ error.message() }</p> },
        (None, None) => html! { <p class="muted" role="status">{ "Loading your organizations…" }</p> },
    }
}

/// The dashboard.
#[component]
pub fn DashboardPage() -> Html {
    let auth = use_store_value::<AuthStore>();
    let Some(me) = auth.user.clone() else { return Html::default() };
    html! {
        <Shell>
            <h1 data-testid="welcome">{ format!("Welcome, {}", me.name()) }</h1>
            <Organizations me={me} />
        </Shell>
    }
}

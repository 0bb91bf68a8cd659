//! `/admin/organizations`: a SuperAdmin lists the organizations (active, archived or all),
//! creates, renames, archives, unarchives and deletes them, and opens each one's members.
//! Everyone else gets a page saying they have no access.

use tandem_protocol::{Organization, OrganizationContents, OrganizationInput, OrganizationStatus};
use yew::prelude::*;
use yew_router::prelude::*;
use yewdux::use_selector;

use crate::api::{self, resources, ApiError};
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::input;
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading, NoAccess};
use crate::domain::roles::is_super_admin;
use crate::hooks::{use_mutation, use_resource};
use crate::routes::Route;
use crate::stores::auth::AuthStore;
use crate::stores::written;
use crate::time;

/// The organizations page.
#[component]
pub fn AdminOrganizationsPage() -> Html {
    crate::render_count::count_render();
    html! { <Shell><Organizations /></Shell> }
}

#[component]
fn Organizations() -> Html {
    crate::render_count::count_render();
    let me =
        use_selector(|auth: &AuthStore| auth.user.as_ref().map(|me| (is_super_admin(&me.roles), me.timezone.clone())));
    match &*me {
        Some((true, zone)) => html! { <Directory zone={zone.clone()} /> },
        Some((false, _)) => html! { <NoAccess /> },
        None => Html::default(),
    }
}

/// The tabs, in order, with their names.
const TABS: [(OrganizationStatus, &str); 3] = [
    (OrganizationStatus::Active, "Active"),
    (OrganizationStatus::Archived, "Archived"),
    (OrganizationStatus::All, "All"),
];

/// What is wrong with an organization's name, if anything (the server's rule: 1 to 255
/// characters once trimmed).
pub fn name_problem(name: &str) -> Option<&'static str> {
    match name.trim().chars().count() {
        0 => Some("Enter the organization's name."),
        1..=255 => None,
        _ => Some("The name can have at most 255 characters."),
    }
}

/// Why an organization cannot be deleted, in words.
pub fn delete_refusal(error: &ApiError) -> String {
    let contents = match error {
        ApiError::Conflict { details: Some(details), .. } => serde_json::from_str::<OrganizationContents>(details).ok(),
        _ => None,
    };
    match contents {
        Some(c) => format!(
            "This organization still has {} members, {} coaching relationships and {} sessions. Archive it instead, or remove them first.",
            c.member_count, c.coaching_relationship_count, c.coaching_session_count
        ),
        None => error.message(),
    }
}

#[derive(Properties, PartialEq)]
struct DirectoryProps {
    zone: AttrValue,
}

#[component]
fn Directory(props: &DirectoryProps) -> Html {
    crate::render_count::count_render();
    let status = use_state(|| OrganizationStatus::Active);
    let list = use_resource(resources::all_organizations(*status));
    let tabs = TABS.map(|(tab, name)| {
        let chosen = tab == *status;
        let choose = {
            let status = status.clone();
            Callback::from(move |_: MouseEvent| status.set(tab))
        };
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.as_str())} aria-selected={chosen.to_string()}
                aria-controls="organizations-panel" class={classes!("tab", chosen.then_some("tab-chosen"))} onclick={choose}>
                { name }
            </button>
        }
    });
    let body = match (&list.data, &list.error) {
        (Some(organizations), _) if organizations.is_empty() => {
            html! { <p class="empty">{ "No organizations here." }</p> }
        }
        (Some(organizations), error) => html! {
            <>
                if let Some(error) = error {
                    <ErrorMessage error={error.clone()} />
                }
                <ul class="member-list" data-testid="organizations">
                    for o in organizations.iter() {
                        <OrganizationRow key={o.id.to_string()} organization={o.clone()} zone={props.zone.clone()} />
                    }
                </ul>
            </>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="the organizations" /> },
    };
    html! {
        <>
            <h1>{ "Organizations" }</h1>
            <NewOrganization />
            <section class="card">
                <div class="tabs" role="tablist" aria-label="Organizations by status">{ for tabs }</div>
                <div role="tabpanel" id="organizations-panel" aria-labelledby={format!("tab-{}", status.as_str())}>{ body }</div>
            </section>
        </>
    }
}

#[component]
fn NewOrganization() -> Html {
    crate::render_count::count_render();
    let name = use_state(String::new);
    let problem = use_state(|| None::<&'static str>);
    let create = {
        let name = name.clone();
        use_mutation(
            |input: OrganizationInput| async move { api::organizations::create(&input).await },
            move |organization: &Organization| {
                written::organization_saved(organization);
                name.set(String::new());
            },
        )
    };
    let onsubmit = {
        let (name, problem, run, pending) = (name.clone(), problem.clone(), create.run.clone(), create.pending);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let found = name_problem(&name);
            problem.set(found);
            if found.is_none() && !pending {
                run.emit(OrganizationInput { name: name.trim().to_owned(), logo: None });
            }
        })
    };
    html! {
        <form class="card form-inline" {onsubmit} aria-labelledby="new-organization-title" novalidate=true>
            <h2 id="new-organization-title">{ "New organization" }</h2>
            { input("new-organization-name", "Organization name", &name).problem(*problem).render() }
            if let (Some(created), false) = (&create.last, create.pending) {
                <p class="notice" role="status">{ format!("{} is created.", created.name) }</p>
            }
            if let Some(error) = &create.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={create.pending}>
                { if create.pending { "Creating…" } else { "Create organization" } }
            </button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct OrganizationRowProps {
    organization: Organization,
    zone: AttrValue,
}

#[component]
fn OrganizationRow(props: &OrganizationRowProps) -> Html {
    crate::render_count::count_render();
    let o = &props.organization;
    let id = o.id;
    let renaming = use_state(|| false);
    let new_name = use_state(|| o.name.clone());
    let problem = use_state(|| None::<&'static str>);
    let rename = {
        let renaming = renaming.clone();
        use_mutation(
            move |input: OrganizationInput| async move { api::organizations::rename(id, &input).await },
            move |organization: &Organization| {
                written::organization_saved(organization);
                renaming.set(false);
            },
        )
    };
    let archive = use_mutation(
        move |archived: bool| async move { api::organizations::archive(id, archived).await },
        written::organization_saved,
    );
    let delete = use_mutation(
        move |()| async move { api::organizations::delete(id).await },
        move |_: &()| written::organization_deleted(id),
    );
    let name = &o.name;
    let toggle = {
        let (renaming, new_name, current) = (renaming.clone(), new_name.clone(), o.name.clone());
        Callback::from(move |_: MouseEvent| {
            new_name.set(current.clone());
            renaming.set(!*renaming);
        })
    };
    let archived = o.archived_at.is_some();
    let form = (*renaming).then(|| {
        let onsubmit = {
            let (new_name, problem, run) = (new_name.clone(), problem.clone(), rename.run.clone());
            Callback::from(move |event: SubmitEvent| {
                event.prevent_default();
                let found = name_problem(&new_name);
                problem.set(found);
                if found.is_none() {
                    run.emit(OrganizationInput { name: new_name.trim().to_owned(), logo: None });
                }
            })
        };
        let field_id = format!("rename-{id}");
        html! {
            <form class="reschedule" {onsubmit} novalidate=true>
                { input(&field_id, "New name", &new_name).problem(*problem).render() }
                <button type="submit" class="button-primary button-auto" disabled={rename.pending}>{ "Save name" }</button>
            </form>
        }
    });
    let error = rename.error.clone().or(archive.error.clone());
    html! {
        <li class="member-row" data-testid="organization-row">
            <div class="member-who">
                <span class="member-name">{ name }</span>
                if let Some(at) = o.archived_at {
                    <span class="muted small">{ format!("Archived {}", time::format_date(time::to_local(at, &props.zone).date())) }</span>
                }
            </div>
            <div class="row-actions">
                <Link<Route> to={Route::Members { id }} classes="button-secondary button-small">
                    <span aria-hidden="true">{ "Members" }</span>
                    <span class="visually-hidden">{ format!("Members of {name}") }</span>
                </Link<Route>>
                <button type="button" class="button-quiet button-small" onclick={toggle} aria-expanded={renaming.to_string()}
                    aria-label={format!("Rename {name}")}>{ "Rename" }</button>
                <button type="button" class="button-quiet button-small" disabled={archive.pending}
                    aria-label={format!("{} {name}", if archived { "Unarchive" } else { "Archive" })}
                    onclick={archive.run.reform(move |_: MouseEvent| !archived)}>
                    { if archived { "Unarchive" } else { "Archive" } }
                </button>
                <ConfirmButton label="Delete" name={format!("Delete {name}")} question={format!("Delete {name}? This cannot be undone.")}
                    on_confirm={delete.run.clone()} disabled={delete.pending} />
            </div>
            { form.unwrap_or_default() }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
            if let Some(error) = &delete.error {
                <p class="alert" role="alert">{ delete_refusal(error) }</p>
            }
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_to_255_characters_once_trimmed() {
        assert_eq!(name_problem("Northwind"), None);
        assert_eq!(name_problem("   "), Some("Enter the organization's name."));
        assert_eq!(name_problem(&"é".repeat(255)), None);
        assert_eq!(name_problem(&"x".repeat(256)), Some("The name can have at most 255 characters."));
    }

    #[test]
    fn an_organization_not_empty_says_what_it_still_holds() {
        let body = r#"{"status_code":409,"error":"organization_not_empty","message":"not empty","details":{"coaching_relationship_count":2,"coaching_session_count":5,"member_count":3}}"#;
        let message = delete_refusal(&ApiError::from_response(409, body));
        assert!(
            message.starts_with("This organization still has 3 members, 2 coaching relationships and 5 sessions."),
            "{message}"
        );
        assert_eq!(delete_refusal(&ApiError::from_response(409, "Taken by someone")), "Taken by someone");
    }
}

//! `/organizations/:id/members`: an organization's Admins (and SuperAdmins) see its members
//! with their invite status, invite new ones (with their coach, if any), invite again,
//! change roles, remove members, and pair any coach with any coachee. Everyone else gets a
//! page saying they have no access. Live: members and relationships arrive through the
//! event table; against the reference the page loads them fresh when opened.

use tandem_protocol::{
    CoachingRelationship, InviteStatus, LoginUser, NewMember, NewRelationship, OrganizationId, Role, User, UserId,
};
use yew::prelude::*;
use yewdux::use_selector;

use crate::api::{self, resources, ApiError};
use crate::components::confirm_button::ConfirmButton;
use crate::components::form::{input, selected_value};
use crate::components::shell::Shell;
use crate::components::status::{ErrorMessage, Loading, NoAccess};
use crate::domain::accounts::{email_problem, required};
use crate::domain::relationships::relationship_label;
use crate::domain::roles::{manages_members, member_role};
use crate::hooks::{use_mutation, use_resource};
use crate::stores::auth::AuthStore;
use crate::stores::written;

/// Props of [`MembersPage`].
#[derive(Properties, PartialEq)]
pub struct MembersPageProps {
    pub id: OrganizationId,
}

/// The members page.
#[component]
pub fn MembersPage(props: &MembersPageProps) -> Html {
    crate::render_count::count_render();
    html! { <Shell><Members id={props.id} /></Shell> }
}

#[component]
fn Members(props: &MembersPageProps) -> Html {
    crate::render_count::count_render();
    let me = use_selector(|auth: &AuthStore| auth.user.clone());
    match &*me {
        Some(me) if manages_members(&me.roles, props.id) => html! { <Directory id={props.id} me={me.clone()} /> },
        Some(_) => html! { <NoAccess /> },
        None => Html::default(),
    }
}

/// Members sorted by last, then first name.
pub fn by_name(members: &[User]) -> Vec<User> {
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| (&a.last_name, &a.first_name).cmp(&(&b.last_name, &b.first_name)));
    sorted
}

#[derive(Properties, PartialEq)]
struct DirectoryProps {
    id: OrganizationId,
    me: LoginUser,
}

#[component]
fn Directory(props: &DirectoryProps) -> Html {
    crate::render_count::count_render();
    let organization = use_resource(resources::organization(props.id));
    let members = use_resource(resources::members(props.id));
    let relationships = use_resource(resources::relationships(props.id));
    if members.error == Some(ApiError::Forbidden) {
        return html! { <NoAccess /> };
    }
    let people = members.data.as_ref().map(|list| by_name(list)).unwrap_or_default();
    let list = match (&members.data, &members.error) {
        (Some(_), error) => html! {
            <>
                if let Some(error) = error {
                    <ErrorMessage error={error.clone()} />
                }
                <ul class="member-list" data-testid="members">
                    for user in people.iter() {
                        <MemberRow key={user.id.to_string()} organization={props.id} user={user.clone()} me={props.me.id} />
                    }
                </ul>
            </>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="the members" /> },
    };
    let pairs = match (&relationships.data, &relationships.error) {
        (Some(list), _) if list.is_empty() => html! { <p class="empty">{ "Nobody is paired yet." }</p> },
        (Some(list), _) => html! {
            <ul class="plain-list" data-testid="relationships">
                for r in list.iter() {
                    <li key={r.id.to_string()}>{ relationship_label(r, None) }</li>
                }
            </ul>
        },
        (None, Some(error)) => html! { <ErrorMessage error={error.clone()} /> },
        (None, None) => html! { <Loading what="the coaching relationships" /> },
    };
    html! {
        <>
            <h1>{ "Members" }</h1>
            if let Some(organization) = &organization.data {
                <p class="lead" data-testid="organization-name">{ &organization.name }</p>
            }
            <section class="card" aria-labelledby="members-title">
                <h2 id="members-title">{ "People" }</h2>
                { list }
            </section>
            <AddMember organization={props.id} people={people.clone()} />
            <section class="card" aria-labelledby="relationships-title">
                <h2 id="relationships-title">{ "Coaching relationships" }</h2>
                { pairs }
                <PairForm organization={props.id} {people} />
            </section>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct MemberRowProps {
    organization: OrganizationId,
    user: User,
    me: UserId,
}

#[component]
fn MemberRow(props: &MemberRowProps) -> Html {
    crate::render_count::count_render();
    let (organization, id) = (props.organization, props.user.id);
    let resend = use_mutation(
        move |()| async move { api::organizations::resend_invitation(organization, id).await },
        move |_: &()| written::members_changed(organization),
    );
    let change_role = use_mutation(
        move |role: Role| async move { api::organizations::change_role(organization, id, role).await },
        move |_: &()| written::members_changed(organization),
    );
    let remove = use_mutation(
        move |()| async move { api::organizations::remove_member(organization, id).await },
        move |_: &()| written::member_removed(organization, id),
    );
    let user = &props.user;
    let name = user.name();
    let role = member_role(&user.roles, organization);
    let on_role = {
        let run = change_role.run.clone();
        Callback::from(move |event: Event| {
            let chosen = if selected_value(&event) == "Admin" { Role::Admin } else { Role::User };
            if chosen != role {
                run.emit(chosen);
            }
        })
    };
    let role_id = format!("role-{id}");
    let status = user.invite_status;
    let error = resend.error.clone().or(change_role.error.clone()).or(remove.error.clone());
    html! {
        <li class="member-row" data-testid="member-row">
            <div class="member-who">
                <span class="member-name">{ name.clone() }</span>
                <span class="muted small">{ &user.email }</span>
            </div>
            if let Some(status) = status {
                <span class={classes!("pill", if status == InviteStatus::Active { "pill-held" } else { "pill-scheduled" })}
                    data-testid="invite-status">{ status.label() }</span>
            }
            <div class="row-actions">
                <label class="visually-hidden" for={role_id.clone()}>{ format!("Role of {name}") }</label>
                // Rebuilt after a refusal, so it shows the role the member still has.
                <select id={role_id} key={format!("{role:?}-{}", change_role.error.is_some())} onchange={on_role}
                    disabled={change_role.pending}>
                    <option value="User" selected={role == Role::User}>{ "User" }</option>
                    <option value="Admin" selected={role == Role::Admin}>{ "Admin" }</option>
                </select>
                if status.is_some_and(|s| s != InviteStatus::Active) {
                    <button type="button" class="button-quiet button-small" aria-label={format!("Resend invitation to {name}")}
                        onclick={resend.run.reform(|_: MouseEvent| ())} disabled={resend.pending}>
                        { "Resend invitation" }
                    </button>
                }
                if id != props.me {
                    <ConfirmButton label="Remove" name={format!("Remove {name}")}
                        question={format!("Remove {name}? This deletes their account.")} confirm="Yes, remove"
                        on_confirm={remove.run.clone()} disabled={remove.pending} />
                }
            </div>
            if resend.last.is_some() && resend.error.is_none() {
                <p class="muted small" role="status">{ "Invitation sent again." }</p>
            }
            if let Some(error) = error {
                <ErrorMessage {error} />
            }
        </li>
    }
}

/// The options of a select of people: "nobody" first, then each by name.
fn people_options(people: &[User], nobody: &'static str, chosen: &str) -> Html {
    html! {
        <>
            <option value="" selected={chosen.is_empty()}>{ nobody }</option>
            for user in people.iter() {
                <option key={user.id.to_string()} value={user.id.to_string()} selected={user.id.to_string() == chosen}>
                    { format!("{} ({})", user.name(), user.email) }
                </option>
            }
        </>
    }
}

/// A callback keeping `state` equal to the value chosen in a select.
fn set_choice(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |event: Event| state.set(selected_value(&event)))
}

#[derive(Properties, PartialEq)]
struct PeopleProps {
    organization: OrganizationId,
    people: Vec<User>,
}

/// Problems with a new member typed in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewMemberProblems {
    pub email: Option<&'static str>,
    pub first_name: Option<&'static str>,
    pub last_name: Option<&'static str>,
}

/// The new member to send, or what is wrong with it.
pub fn new_member(email: &str, first: &str, last: &str, coach: &str) -> Result<NewMember, NewMemberProblems> {
    let problems = NewMemberProblems {
        email: email_problem(email),
        first_name: required(first, "Enter their first name."),
        last_name: required(last, "Enter their last name."),
    };
    if problems != NewMemberProblems::default() {
        return Err(problems);
    }
    Ok(NewMember {
        email: email.trim().to_owned(),
        first_name: first.trim().to_owned(),
        last_name: last.trim().to_owned(),
        coach_id: coach.parse().ok(),
        ..NewMember::default()
    })
}

#[component]
fn AddMember(props: &PeopleProps) -> Html {
    crate::render_count::count_render();
    let email = use_state(String::new);
    let first = use_state(String::new);
    let last = use_state(String::new);
    let coach = use_state(String::new);
    let problems = use_state(NewMemberProblems::default);
    // Counts the members added: the coach's select is made anew after each, showing "No coach".
    let added = use_state(|| 0u32);
    let organization = props.organization;
    let add = {
        let fields = [email.clone(), first.clone(), last.clone(), coach.clone()];
        let added = added.clone();
        use_mutation(
            move |member: NewMember| async move { api::organizations::add_member(organization, &member).await },
            move |_: &User| {
                written::members_changed(organization);
                for field in &fields {
                    field.set(String::new());
                }
                added.set(*added + 1);
            },
        )
    };
    let onsubmit = {
        let (email, first, last, coach, problems, run) =
            (email.clone(), first.clone(), last.clone(), coach.clone(), problems.clone(), add.run.clone());
        let pending = add.pending;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match new_member(&email, &first, &last, &coach) {
                Ok(member) => {
                    problems.set(NewMemberProblems::default());
                    if !pending {
                        run.emit(member);
                    }
                }
                Err(found) => problems.set(found),
            }
        })
    };
    html! {
        <form class="card form-inline" {onsubmit} aria-labelledby="add-member-title" novalidate=true>
            <h2 id="add-member-title">{ "Add a member" }</h2>
            <p class="muted small">{ "They get an email with a link to set their password." }</p>
            { input("member-email", "Email", &email).kind("email", "off").problem(problems.email).render() }
            <div class="field-row">
                { input("member-first-name", "First name", &first).problem(problems.first_name).render() }
                { input("member-last-name", "Last name", &last).problem(problems.last_name).render() }
            </div>
            <div class="field">
                <label for="member-coach">{ "Their coach (optional)" }</label>
                <select id="member-coach" key={*added} onchange={set_choice(&coach)}>{ people_options(&props.people, "No coach", &coach) }</select>
            </div>
            if let (Some(added), false) = (&add.last, add.pending) {
                <p class="notice" role="status" data-testid="member-added">
                    { format!("{} is invited: an email with a link to set their password is on its way to {}.", added.name(), added.email) }
                </p>
            }
            if let Some(error) = &add.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={add.pending}>
                { if add.pending { "Adding…" } else { "Add member" } }
            </button>
        </form>
    }
}

/// The pair to send, or what is wrong with the choice.
pub fn new_pair(coach: &str, coachee: &str) -> Result<NewRelationship, &'static str> {
    match (coach.parse(), coachee.parse()) {
        (Ok(coach_id), Ok(coachee_id)) if coach_id != coachee_id => Ok(NewRelationship { coach_id, coachee_id }),
        (Ok(_), Ok(_)) => Err("Choose two different people: nobody coaches themselves."),
        _ => Err("Choose a coach and a coachee."),
    }
}

#[component]
fn PairForm(props: &PeopleProps) -> Html {
    crate::render_count::count_render();
    let coach = use_state(String::new);
    let coachee = use_state(String::new);
    let problem = use_state(|| None::<&'static str>);
    let organization = props.organization;
    let pair = use_mutation(
        move |input: NewRelationship| async move { api::organizations::pair(organization, &input).await },
        move |relationship: &CoachingRelationship| written::relationship_created(organization, relationship),
    );
    let onsubmit = {
        let (coach, coachee, problem, run, pending) =
            (coach.clone(), coachee.clone(), problem.clone(), pair.run.clone(), pair.pending);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match new_pair(&coach, &coachee) {
                Ok(input) => {
                    problem.set(None);
                    if !pending {
                        run.emit(input);
                    }
                }
                Err(found) => problem.set(Some(found)),
            }
        })
    };
    html! {
        <form class="form-inline pair-form" {onsubmit} aria-labelledby="pair-title" novalidate=true>
            <h3 id="pair-title" class="panel-subtitle">{ "Pair a coach with a coachee" }</h3>
            <div class="field-row">
                <div class="field">
                    <label for="pair-coach">{ "Coach" }</label>
                    <select id="pair-coach" onchange={set_choice(&coach)}>{ people_options(&props.people, "Choose…", &coach) }</select>
                </div>
                <div class="field">
                    <label for="pair-coachee">{ "Coachee" }</label>
                    <select id="pair-coachee" onchange={set_choice(&coachee)}>{ people_options(&props.people, "Choose…", &coachee) }</select>
                </div>
            </div>
            if let Some(problem) = *problem {
                <p class="field-error" role="alert">{ problem }</p>
            }
            if let (Some(paired), false) = (&pair.last, pair.pending) {
                <p class="notice" role="status">{ format!("{} now coaches {}.", paired.coach_name(), paired.coachee_name()) }</p>
            }
            if let Some(error) = &pair.error {
                <ErrorMessage error={error.clone()} />
            }
            <button type="submit" class="button-primary button-auto" disabled={pair.pending}>
                { if pair.pending { "Pairing…" } else { "Pair" } }
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a01";
    const B: &str = "2b0f6bd4-6a0e-4a7c-9d6e-1c1d6c7f8a02";

    #[test]
    fn a_new_member_needs_an_email_and_both_names_and_may_have_a_coach() {
        let member = new_member(" ada@example.com ", " Ada ", "Lovelace", "").unwrap();
        assert_eq!(
            (member.email.as_str(), member.first_name.as_str(), member.coach_id),
            ("ada@example.com", "Ada", None)
        );
        assert_eq!(new_member("ada@example.com", "Ada", "Lovelace", A).unwrap().coach_id, Some(A.parse().unwrap()));
        assert_eq!(
            new_member("ada", "", " ", ""),
            Err(NewMemberProblems {
                email: Some("Enter an email address like name@example.com."),
                first_name: Some("Enter their first name."),
                last_name: Some("Enter their last name."),
            })
        );
    }

    #[test]
    fn a_pair_is_two_different_people() {
        assert_eq!(new_pair(A, B).map(|p| p.coachee_id), Ok(B.parse().unwrap()));
        assert_eq!(new_pair(A, A), Err("Choose two different people: nobody coaches themselves."));
        assert_eq!(new_pair("", B), Err("Choose a coach and a coachee."));
    }
}

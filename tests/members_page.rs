//! An organization's members page in a real browser against a fake server: only its Admins
//! (and SuperAdmins) reach it; members show their invite status; adding one sends the
//! reference's body; a refusal (the last admin) is shown as the server said it.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use tandem::pages::members::MembersPage;
use tandem::stores::auth::AuthStore;
use tandem::stores::dispatch;
use tandem_protocol::{LoginUser, OrganizationId};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const ORG: &str = "00000000-0000-4000-8000-0000000000e1";
const ADMIN: &str = "00000000-0000-4000-8000-0000000000e2";
const COACH: &str = "00000000-0000-4000-8000-0000000000e3";
const INVITED: &str = "00000000-0000-4000-8000-0000000000e4";

fn sign_in(id: &str, role: &str, organization: Option<&str>) {
    let user: LoginUser = serde_json::from_value(serde_json::json!({
        "id": id, "email": "admin@example.com", "first_name": "Ada", "last_name": "Admin",
        "display_name": null, "timezone": "UTC",
        "roles": [{"id": "00000000-0000-4000-8000-0000000000f1", "role": role, "organization_id": organization,
                   "user_id": id, "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"}]}))
    .unwrap();
    dispatch::<AuthStore>().set(AuthStore { user: Some(user), ..Default::default() });
}

fn member(id: &str, first_name: &str, status: &str, role: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "email": format!("{}@example.com", first_name.to_lowercase()), "first_name": first_name,
        "last_name": "Member", "display_name": null, "github_username": null, "github_profile_url": null,
        "timezone": "UTC", "default_coaching_session_duration_minutes": 60, "invite_status": status,
        "roles": [{"id": "00000000-0000-4000-8000-0000000000f2", "role": role, "organization_id": ORG,
                   "user_id": id, "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"}],
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z"
    })
}

fn organization() -> OrganizationId {
    ORG.parse().unwrap()
}

#[wasm_bindgen_test]
async fn a_member_who_is_no_admin_gets_the_no_access_page_and_asks_for_nothing() {
    fake_server(&[answer("GET", "/organizations", 200, envelope(serde_json::json!([])))]);
    sign_in("00000000-0000-4000-8000-0000000000e9", "User", Some(ORG));
    let root = render("/organizations/x/members", html! { <MembersPage id={organization()} /> }).await;
    assert_eq!(text(&root, "[data-testid=no-access] h1"), "You don't have access to this page");
    assert!(!requests().iter().any(|(_, url, _)| url.contains("/users?") || url.ends_with("/users")));
}

#[wasm_bindgen_test]
async fn an_admin_sees_the_members_with_their_status_and_invites_one_with_a_coach() {
    let members = serde_json::json!([
        member(ADMIN, "Ada", "active", "Admin"),
        member(COACH, "Cole", "active", "User"),
        member(INVITED, "Ivy", "expired", "User"),
    ]);
    let organization_json = serde_json::json!({"id": ORG, "name": "Northwind", "logo": null, "slug": "northwind",
        "created_at": "2026-11-26T04:44:14Z", "updated_at": "2026-11-26T04:44:14Z", "archived_at": null, "archived_by": null});
    fake_server(&[
        answer("GET", &format!("/organizations/{ORG}/users"), 200, envelope(members)),
        answer("GET", &format!("/organizations/{ORG}/coaching_relationships"), 200, envelope(serde_json::json!([]))),
        answer("GET", &format!("/organizations/{ORG}"), 200, envelope(organization_json)),
        answer("GET", "/organizations", 200, envelope(serde_json::json!([]))),
        answer(
            "POST",
            &format!("/organizations/{ORG}/users"),
            200,
            envelope(member("00000000-0000-4000-8000-0000000000e5", "Nia", "pending", "User")),
        ),
        answer(
            "DELETE",
            &format!("/organizations/{ORG}/users/{COACH}"),
            409,
            r#"{"status_code":409,"error":"user_belongs_to_multiple_organizations","message":"Cole Member belongs to another organization too."}"#,
        ),
    ]);
    sign_in(ADMIN, "Admin", Some(ORG));
    let root = render("/organizations/x/members", html! { <MembersPage id={organization()} /> }).await;
    wait_for(|| root.query_selector_all("[data-testid=member-row]").unwrap().length() == 3).await;
    wait_for(|| exists(&root, "[data-testid=organization-name]")).await;
    assert_eq!(text(&root, "[data-testid=organization-name]"), "Northwind");
    let rows = root.query_selector_all("[data-testid=member-row]").unwrap();
    let row_text = |n: u32| rows.item(n).unwrap().text_content().unwrap();
    assert!(row_text(0).contains("Ada Member") && row_text(0).contains("Active"), "{}", row_text(0));
    assert!(row_text(2).contains("Ivy Member") && row_text(2).contains("Invitation expired"), "{}", row_text(2));
    assert!(exists(&root, "button[aria-label='Resend invitation to Ivy Member']"));
    assert!(!exists(&root, "button[aria-label='Resend invitation to Cole Member']"), "active: nothing to resend");
    assert!(!exists(&root, "button[aria-label='Remove Ada Member']"), "nobody removes themselves");
    assert_eq!(text(&root, "label[for=member-coach]"), "Their coach (optional)");
    requests();

    type_into(&root, "#member-email", "nia@example.com").await;
    type_into(&root, "#member-first-name", "Nia").await;
    type_into(&root, "#member-last-name", "New").await;
    choose(&root, "#member-coach", COACH).await;
    click(&root, "form[aria-labelledby=add-member-title] button[type=submit]").await;
    wait_for(|| exists(&root, "[data-testid=member-added]")).await;
    let post = requests().into_iter().find(|(method, ..)| method == "POST").expect("a POST");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&post.2).unwrap(),
        serde_json::json!({"email": "nia@example.com", "first_name": "Nia", "last_name": "New", "coach_id": COACH})
    );

    click(&root, "button[aria-label='Remove Cole Member']").await;
    assert!(text(&root, ".confirm").contains("This deletes their account."));
    click(&root, ".confirm .button-danger").await;
    wait_for(|| exists(&root, "[data-testid=member-row] p.alert")).await;
    assert_eq!(text(&root, "[data-testid=member-row] p.alert"), "Cole Member belongs to another organization too.");
    requests();
}

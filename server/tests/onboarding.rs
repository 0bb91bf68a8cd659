//! An organization starting from nothing: the first administrator from the command line,
//! organizations, members and their invitations, setup and password-reset links, profiles,
//! and the mail queue behind them (through the `.eml` folder and a real SMTP server).

mod common;

use std::time::{Duration, Instant};

use common::mail::{self, SmtpServer};
use common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "a-long-new-password";

/// Makes a super administrator through the command line's code path and sets their password
/// through the setup link it prints; returns their signed-in client and id.
async fn super_admin(server: &TestServer, email: &str) -> (Client, String) {
    let printed = tandem_server::create_superadmin(&server.config(), email, "Sue", "Super").await.unwrap();
    let token = printed.rsplit('/').next().unwrap().trim().to_owned();
    let body = json!({"token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD});
    let answer = server.client().post(server.url("/api/magic-link/complete-setup")).json(&body).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{}", answer.text().await.unwrap());
    signed_in(server, email, NEW_PASSWORD).await
}

async fn signed_in(server: &TestServer, email: &str, password: &str) -> (Client, String) {
    let client = server.client();
    let answer = server.login(&client, email, password).await;
    assert_eq!(answer.status(), StatusCode::OK, "sign-in of {email}");
    let body: Value = answer.json().await.unwrap();
    (client, body["data"]["id"].as_str().unwrap().to_owned())
}

async fn status(server: &TestServer, client: &Client, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    server.call(client, method, path, body.as_ref()).await.status()
}

async fn error_kind(
    server: &TestServer,
    client: &Client,
    method: Method,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let answer = server.call(client, method, path, Some(&body)).await;
    let status = answer.status();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// Follows a setup link: validates it, then sets the password.
async fn complete_setup(server: &TestServer, token: &str) -> reqwest::Response {
    let body = json!({"token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD});
    server.client().post(server.url("/api/magic-link/complete-setup")).json(&body).send().await.unwrap()
}

async fn validate_setup(server: &TestServer, token: &str) -> reqwest::Response {
    server.client().get(server.url(&format!("/api/magic-link/validate?token={token}"))).send().await.unwrap()
}

/// The setup token of the newest invitation in the server's `.eml` folder for `email`.
async fn invitation_token(server: &TestServer, email: &str, count: usize) -> String {
    let mails = mail::written_to(&server.dir.join("outbox"), email, count).await;
    assert_eq!(mails.len(), count, "invitations to {email}");
    let newest = mails.iter().filter_map(|m| m.token("setup")).collect::<Vec<_>>();
    // Files are named by a random id: find the newest by asking the server which is usable.
    for token in newest.iter().rev() {
        if validate_setup(server, token).await.status() == StatusCode::OK {
            return token.clone();
        }
    }
    panic!("no usable invitation for {email}");
}

#[tokio::test]
async fn the_first_administrator_comes_from_the_command_line_and_a_second_run_gives_a_fresh_link() {
    let server = TestServer::start().await;
    let config = server.config();
    let first = tandem_server::create_superadmin(&config, "root@example.com", "Ruth", "Root").await.unwrap();
    assert!(first.contains(&format!("{}/setup/", server.base)), "{first}");
    let first_token = first.rsplit('/').next().unwrap().trim().to_owned();
    let second = tandem_server::create_superadmin(&config, "root@example.com", "Ruth", "Root").await.unwrap();
    let second_token = second.rsplit('/').next().unwrap().trim().to_owned();
    assert_ne!(first_token, second_token);
    assert_eq!(validate_setup(&server, &first_token).await.status(), StatusCode::BAD_REQUEST, "the first link ended");
    let who: Value = validate_setup(&server, &second_token).await.json().await.unwrap();
    assert_eq!(who["data"]["email"], "root@example.com");

    // No password yet: nobody signs in as them.
    assert_eq!(server.login(&server.client(), "root@example.com", "").await.status(), StatusCode::UNAUTHORIZED);
    let mismatch = json!({"token": second_token, "password": NEW_PASSWORD, "confirm_password": "something-else"});
    let refused =
        server.client().post(server.url("/api/magic-link/complete-setup")).json(&mismatch).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(complete_setup(&server, &second_token).await.status(), StatusCode::OK);
    assert_eq!(complete_setup(&server, &second_token).await.status(), StatusCode::BAD_REQUEST, "used once");
    let (root, root_id) = signed_in(&server, "root@example.com", NEW_PASSWORD).await;
    let me = server.ok(&root, Method::GET, &format!("/api/users/{root_id}"), None).await;
    assert!(me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["role"] == "SuperAdmin" && r["organization_id"].is_null()));

    // Once they have a password, a run prints a password-reset link instead.
    let third = tandem_server::create_superadmin(&config, "root@example.com", "Ruth", "Root").await.unwrap();
    assert!(third.contains("/reset-password/"), "{third}");
    let bad = tandem_server::create_superadmin(&config, "not-an-email", "Ruth", "Root").await;
    assert!(bad.is_err());
}

#[tokio::test]
async fn an_admin_invites_a_coach_and_a_coachee_who_set_up_and_show_as_active_live() {
    let server = TestServer::start().await;
    let (sue, _) = super_admin(&server, "sue@example.com").await;
    let org = server.ok(&sue, Method::POST, "/api/organizations", Some(json!({"name": "  Acme Coaching "}))).await;
    assert_eq!(org["name"], "Acme Coaching");
    assert_eq!(org["slug"], "acme-coaching");
    let org_id = org["id"].as_str().unwrap().to_owned();
    let mut sue_stream = server.events(&sue).await;

    let members = format!("/api/organizations/{org_id}/users");
    let coach = server
        .ok(
            &sue,
            Method::POST,
            &members,
            Some(json!({"email": "cora@example.com", "first_name": "Cora", "last_name": "Coach"})),
        )
        .await;
    assert_eq!(coach["invite_status"], "pending");
    let changed = sue_stream.expect("organization_member_changed").await.json();
    assert_eq!(changed["data"]["user"]["invite_status"], "pending");
    let coach_id = coach["id"].as_str().unwrap().to_owned();

    // The coachee, with her coach: the relationship is made with the member.
    let coachee = server
        .ok(
            &sue,
            Method::POST,
            &members,
            Some(json!({"email": "cleo@example.com", "first_name": "Cleo", "last_name": "Coachee", "coach_id": coach_id})),
        )
        .await;
    let created = sue_stream.expect("coaching_relationship_created").await.json();
    assert_eq!(created["data"]["coaching_relationship"]["coachee_id"], coachee["id"]);
    sue_stream.expect("organization_member_changed").await;

    let coach_token = invitation_token(&server, "cora@example.com", 1).await;
    let who: Value = validate_setup(&server, &coach_token).await.json().await.unwrap();
    assert_eq!(who["data"]["first_name"], "Cora");
    assert_eq!(complete_setup(&server, &coach_token).await.status(), StatusCode::OK);
    let active = sue_stream.expect("organization_member_changed").await.json();
    assert_eq!(active["data"]["user"]["id"], coach_id.as_str());
    assert_eq!(active["data"]["user"]["invite_status"], "active");

    let (cora, _) = signed_in(&server, "cora@example.com", NEW_PASSWORD).await;
    let cleo_token = invitation_token(&server, "cleo@example.com", 1).await;
    assert_eq!(complete_setup(&server, &cleo_token).await.status(), StatusCode::OK);
    let (cleo, cleo_id) = signed_in(&server, "cleo@example.com", NEW_PASSWORD).await;
    let theirs = server.ok(&cleo, Method::GET, &format!("/api/users/{cleo_id}/coaching-relationships"), None).await;
    assert_eq!(theirs[0]["coach_first_name"], "Cora");
    let as_coach =
        server.ok(&cleo, Method::GET, &format!("/api/users/{cleo_id}/coaching-relationships?role=coach"), None).await;
    assert_eq!(as_coach, json!([]));

    // The list shows both as active; the coach, a plain member, reads it but cannot change it.
    let list = server.ok(&cora, Method::GET, &members, None).await;
    assert!(list.as_array().unwrap().iter().all(|m| m["invite_status"] == "active"), "{list}");
    assert_eq!(list.as_array().unwrap().len(), 2);
    let as_member = json!({"email": "x@example.com", "first_name": "X", "last_name": "Y"});
    assert_eq!(status(&server, &cora, Method::POST, &members, Some(as_member)).await, StatusCode::FORBIDDEN);
}

/// The server, a super administrator, an organization with an administrator, a coach and a
/// coachee (all set up), and a second organization with an administrator of its own.
struct Org {
    server: TestServer,
    sue: Client,
    id: String,
    admin: (Client, String),
    coach: (Client, String),
    coachee: (Client, String),
    other_admin: Client,
    other_org: String,
}

async fn member(
    server: &TestServer,
    admin: &Client,
    org: &str,
    email: &str,
    first: &str,
    coach: Option<&str>,
) -> (Client, String) {
    let mut body = json!({"email": email, "first_name": first, "last_name": "Tester"});
    if let Some(coach) = coach {
        body["coach_id"] = json!(coach);
    }
    server.ok(admin, Method::POST, &format!("/api/organizations/{org}/users"), Some(body)).await;
    let token = invitation_token(server, email, 1).await;
    assert_eq!(complete_setup(server, &token).await.status(), StatusCode::OK);
    signed_in(server, email, NEW_PASSWORD).await
}

async fn organization() -> Org {
    let server = TestServer::start().await;
    let (sue, _) = super_admin(&server, "sue@example.com").await;
    let new_org = |name: &str| json!({ "name": name });
    let id = server.ok(&sue, Method::POST, "/api/organizations", Some(new_org("Acme"))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_org = server.ok(&sue, Method::POST, "/api/organizations", Some(new_org("Other"))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = member(&server, &sue, &id, "adam@example.com", "Adam", None).await;
    server
        .ok(
            &sue,
            Method::PUT,
            &format!("/api/organizations/{id}/users/{}/role", admin.1),
            Some(json!({"role": "Admin"})),
        )
        .await;
    let coach = member(&server, &admin.0, &id, "cora@example.com", "Cora", None).await;
    let coachee = member(&server, &admin.0, &id, "cleo@example.com", "Cleo", Some(&coach.1)).await;
    let other = member(&server, &sue, &other_org, "odin@example.com", "Odin", None).await;
    server
        .ok(
            &sue,
            Method::PUT,
            &format!("/api/organizations/{other_org}/users/{}/role", other.1),
            Some(json!({"role": "Admin"})),
        )
        .await;
    Org { server, sue, id, admin, coach, coachee, other_admin: other.0, other_org }
}

#[tokio::test]
async fn every_administration_route_answers_each_kind_of_person_as_the_reference_does() {
    let o = organization().await;
    let s = &o.server;
    let org = &o.id;
    let (coach_id, coachee_id) = (&o.coach.1, &o.coachee.1);
    // (who, may they?) for each route; a plain member may read the member list only.
    let people: [(&str, &Client); 5] = [
        ("super admin", &o.sue),
        ("admin", &o.admin.0),
        ("coach", &o.coach.0),
        ("coachee", &o.coachee.0),
        ("another organization's admin", &o.other_admin),
    ];
    let forbidden = StatusCode::FORBIDDEN;
    for (who, client) in people {
        let is_super = who == "super admin";
        let administers = is_super || who == "admin";
        let is_member = administers || who == "coach" || who == "coachee";
        let expect = |allowed: bool, ok: StatusCode| if allowed { ok } else { forbidden };

        let list = status(s, client, Method::GET, &format!("/api/organizations/{org}/users"), None).await;
        assert_eq!(list, expect(is_member, StatusCode::OK), "{who} lists members");
        let rename =
            status(s, client, Method::PUT, &format!("/api/organizations/{org}"), Some(json!({"name": "Acme"}))).await;
        assert_eq!(rename, expect(is_super, StatusCode::OK), "{who} renames");
        let create =
            status(s, client, Method::POST, "/api/organizations", Some(json!({"name": format!("New by {who}")}))).await;
        assert_eq!(create, expect(is_super, StatusCode::OK), "{who} creates an organization");
        let archive =
            status(s, client, Method::POST, &format!("/api/organizations/{}/unarchive", o.other_org), Some(json!({})))
                .await;
        assert_eq!(archive, expect(is_super, StatusCode::OK), "{who} unarchives");
        let pair = json!({"coach_id": coach_id, "coachee_id": coachee_id});
        let paired =
            status(s, client, Method::POST, &format!("/api/organizations/{org}/coaching_relationships"), Some(pair))
                .await;
        assert_eq!(paired, expect(administers, StatusCode::OK), "{who} pairs");
        let role =
            status(s, client, Method::GET, &format!("/api/organizations/{org}/users/{coach_id}/role"), None).await;
        assert_eq!(role, expect(administers, StatusCode::OK), "{who} reads a role");
        let change = json!({"role": "User"});
        let changed =
            status(s, client, Method::PUT, &format!("/api/organizations/{org}/users/{coach_id}/role"), Some(change))
                .await;
        assert_eq!(changed, expect(administers, StatusCode::OK), "{who} changes a role");
        let resend =
            status(s, client, Method::POST, &format!("/api/organizations/{org}/users/{coach_id}/resend-invite"), None)
                .await;
        // Allowed for administrators, but the coach has set up already: 422.
        assert_eq!(resend, expect(administers, StatusCode::UNPROCESSABLE_ENTITY), "{who} resends");
        let lookup = status(s, client, Method::GET, "/api/users?email=cora@example.com", None).await;
        let any_admin = administers || who == "another organization's admin";
        assert_eq!(lookup, expect(any_admin, StatusCode::OK), "{who} looks up");
        let read_org = status(s, client, Method::GET, &format!("/api/organizations/{org}"), None).await;
        assert_eq!(read_org, expect(is_member, StatusCode::OK), "{who} reads the organization");
    }
    // Another organization's administrator finds nobody of this one by email.
    let found = s.ok(&o.other_admin, Method::GET, "/api/users?email=CORA@example.com", None).await;
    assert_eq!(found, json!([]));
    let found = s.ok(&o.admin.0, Method::GET, "/api/users?email=CORA@example.com", None).await;
    assert_eq!(found[0]["id"], coach_id.as_str());
    // Errors are the contract's: plain text with the reference's reason.
    let answer = s.call(&o.coach.0, Method::POST, "/api/organizations", Some(&json!({"name": "Mine"}))).await;
    assert_eq!(answer.text().await.unwrap(), "SuperAdmin access required");
    // Nobody signed in: 401.
    assert_eq!(
        status(s, &s.client(), Method::GET, &format!("/api/organizations/{org}/users"), None).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_member_input_is_refused_naming_the_field_and_changes_nothing() {
    let o = organization().await;
    let s = &o.server;
    let members = format!("/api/organizations/{}/users", o.id);
    let before = s.snapshot().await;
    let cases = [
        (
            json!({"email": "cora@example.com", "first_name": "C", "last_name": "D"}),
            StatusCode::CONFLICT,
            "user_already_in_organization",
        ),
        (json!({"email": "sam@tandem.demo", "first_name": "C", "last_name": "D"}), StatusCode::CONFLICT, "conflict"),
        (
            json!({"email": "not-an-email", "first_name": "C", "last_name": "D"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
        ),
        (
            json!({"email": "n@example.com", "first_name": "C".repeat(101), "last_name": "D"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
        ),
        (
            json!({"email": "n@example.com", "first_name": " ", "last_name": "D"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
        ),
        (
            json!({"email": "n@example.com", "first_name": "C", "last_name": "D", "timezone": "Mars/Base"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_error",
        ),
        // A coach from outside the organization: the member is not made either.
        (
            json!({"email": "n@example.com", "first_name": "C", "last_name": "D", "coach_id": uuid::Uuid::new_v4()}),
            StatusCode::CONFLICT,
            "conflict",
        ),
    ];
    for (body, expected, kind) in cases {
        let (got, error) = error_kind(s, &o.admin.0, Method::POST, &members, body.clone()).await;
        assert_eq!(got, expected, "{body}: {error}");
        assert_eq!(error["error"], kind, "{body}");
    }
    let (got, error) = error_kind(
        s,
        &o.admin.0,
        Method::POST,
        &members,
        json!({"email": "n@example.com", "first_name": "C", "last_name": "D".repeat(101)}),
    )
    .await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["message"].as_str().unwrap().contains("last name"), "{error}");
    let role = format!("/api/organizations/{}/users/{}/role", o.id, o.coach.1);
    let (got, error) = error_kind(s, &o.admin.0, Method::PUT, &role, json!({"role": "Boss"})).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["message"].as_str().unwrap().contains("role"), "{error}");
    // The last administrator stays, and nobody removes themselves.
    let admin_role = format!("/api/organizations/{}/users/{}/role", o.id, o.admin.1);
    let (got, error) = error_kind(s, &o.admin.0, Method::PUT, &admin_role, json!({"role": "User"})).await;
    assert_eq!((got, error["error"].clone()), (StatusCode::CONFLICT, json!("last_organization_admin")));
    let me = format!("/api/organizations/{}/users/{}", o.id, o.admin.1);
    assert_eq!(status(s, &o.admin.0, Method::DELETE, &me, None).await, StatusCode::FORBIDDEN);
    let (got, error) = error_kind(s, &o.sue, Method::DELETE, &me, json!({})).await;
    assert_eq!((got, error["error"].clone()), (StatusCode::CONFLICT, json!("last_organization_admin")));
    let (got, error) = error_kind(s, &o.sue, Method::POST, "/api/organizations", json!({"name": "acme"})).await;
    assert_eq!((got, error["error"].clone()), (StatusCode::CONFLICT, json!("organization_name_taken")));
    let (got, _) = error_kind(s, &o.sue, Method::POST, "/api/organizations", json!({"name": "x".repeat(256)})).await;
    assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY);
    let (got, error) = error_kind(s, &o.sue, Method::DELETE, &format!("/api/organizations/{}", o.id), json!({})).await;
    assert_eq!((got, error["error"].clone()), (StatusCode::CONFLICT, json!("organization_not_empty")));
    assert_eq!(error["details"]["member_count"], 3);
    assert_eq!(s.snapshot().await, before, "refused requests changed nothing");
}

#[tokio::test]
async fn removing_a_member_deletes_their_account_ends_their_pages_and_tells_the_other_side() {
    let o = organization().await;
    let s = &o.server;
    let mut coach_stream = s.events(&o.coach.0).await;
    let mut coachee_stream = s.events(&o.coachee.0).await;
    let (coachee_other_tab, _) = signed_in(s, "cleo@example.com", NEW_PASSWORD).await;
    let path = format!("/api/organizations/{}/users/{}", o.id, o.coachee.1);
    let answer = s.call(&o.admin.0, Method::DELETE, &path, None).await;
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.json::<Value>().await.unwrap(), json!({"status_code": 204}));
    let gone = coach_stream.expect("coaching_relationship_deleted").await.json();
    assert_eq!(gone["data"]["organization_id"], o.id.as_str());
    coachee_stream.expect("force_logout").await;
    let me = format!("/api/users/{}", o.coachee.1);
    assert_eq!(status(s, &coachee_other_tab, Method::GET, &me, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(s.login(&s.client(), "cleo@example.com", NEW_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let left = s.ok(&o.admin.0, Method::GET, &format!("/api/organizations/{}/users", o.id), None).await;
    assert!(left.as_array().unwrap().iter().all(|m| m["email"] != "cleo@example.com"));
}

#[tokio::test]
async fn setup_links_work_once_expire_and_a_resend_replaces_them() {
    let o = organization().await;
    let s = &o.server;
    let members = format!("/api/organizations/{}/users", o.id);
    let body = json!({"email": "nina@example.com", "first_name": "Nina", "last_name": "New"});
    let nina = s.ok(&o.admin.0, Method::POST, &members, Some(body)).await;
    let first = invitation_token(s, "nina@example.com", 1).await;
    let resend = format!("{members}/{}/resend-invite", nina["id"].as_str().unwrap());
    assert_eq!(s.ok(&o.admin.0, Method::POST, &resend, None).await["invite_status"], "pending");
    let second = invitation_token(s, "nina@example.com", 2).await;
    assert_ne!(first, second);
    let (got, error) = {
        let answer = validate_setup(s, &first).await;
        (answer.status(), answer.json::<Value>().await.unwrap())
    };
    assert_eq!((got, error["error"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_or_expired_token")));
    assert!(error["message"].as_str().unwrap().contains("Ask your coach for a new invitation"));

    // Expired: the member list says so, and the link is refused.
    s.execute("UPDATE account_tokens SET expires_at = created_at WHERE user_id = $1", nina["id"].as_str().unwrap())
        .await;
    assert_eq!(validate_setup(s, &second).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(complete_setup(s, &second).await.status(), StatusCode::BAD_REQUEST);
    let list = s.ok(&o.admin.0, Method::GET, &members, None).await;
    let listed = list.as_array().unwrap().iter().find(|m| m["email"] == "nina@example.com").unwrap().clone();
    assert_eq!(listed["invite_status"], "expired");

    // Forged, malformed or missing tokens: the same 400, never a 500.
    for token in ["A".repeat(43), "short".to_owned(), "%00".to_owned(), String::new()] {
        assert_eq!(validate_setup(s, &token).await.status(), StatusCode::BAD_REQUEST, "{token:?}");
    }
    let missing = s.client().get(s.url("/api/magic-link/validate")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    let garbage =
        s.client().post(s.url("/api/magic-link/complete-setup")).json(&json!({"token": 5})).send().await.unwrap();
    assert_eq!(garbage.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_real_smtp_server_and_other_sessions_end() {
    let smtp = SmtpServer::start().await;
    let server = TestServer::start_with(|config| config.smtp_url = Some(smtp.url())).await;
    let request = |email: &str| {
        let client = server.client();
        let url = server.url("/api/password-reset/request");
        let body = json!({ "email": email });
        async move { client.post(url).json(&body).send().await.unwrap() }
    };
    // The same answer for an account and for nobody.
    let nobody = request("nobody@example.com").await;
    assert_eq!(nobody.status(), StatusCode::OK);
    assert_eq!(nobody.json::<Value>().await.unwrap(), json!({"status_code": 200, "data": null}));
    assert_eq!(request(SAM).await.status(), StatusCode::OK);
    assert_eq!(request("not an email").await.status(), StatusCode::BAD_REQUEST);

    let mails = smtp.mails_to(SAM, 1).await;
    assert_eq!(mails.len(), 1);
    assert!(smtp.received().iter().all(|m| !m.is_to("nobody@example.com")));
    assert!(mails[0].text().contains("reset your Tandem password"));
    assert!(mails[0].html().unwrap().contains("<a href=\"http"), "an HTML part with the link");
    let token = mails[0].token("reset-password").expect("a reset link");

    let (sam_elsewhere, sam_id) = server.sign_in(SAM).await;
    let mut elsewhere_stream = server.events(&sam_elsewhere).await;
    let validated = server
        .client()
        .post(server.url("/api/password-reset/validate"))
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    let names: Value = validated.json().await.unwrap();
    assert_eq!(names["data"], json!({"first_name": "Sam", "last_name": "Rivera"}));
    let short = json!({"token": token, "password": "short", "confirm_password": "short"});
    let refused = server.client().post(server.url("/api/password-reset/complete")).json(&short).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("8 to 128 characters"));
    let body = json!({"token": token, "password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD});
    let done = server.client().post(server.url("/api/password-reset/complete")).json(&body).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::OK);

    let ended = elsewhere_stream.expect("force_logout").await.json();
    assert_eq!(ended["data"]["reason"], "Your password was reset.");
    assert_eq!(
        status(&server, &sam_elsewhere, Method::GET, &format!("/api/users/{sam_id}"), None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(server.login(&server.client(), SAM, DEMO_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    signed_in(&server, SAM, NEW_PASSWORD).await;
    let again = server.client().post(server.url("/api/password-reset/complete")).json(&body).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "a reset link works once");

    // An hour-old link no longer works.
    assert_eq!(request(SAM).await.status(), StatusCode::OK);
    let mails = smtp.mails_to(SAM, 2).await;
    let late = mails.iter().filter_map(|m| m.token("reset-password")).find(|t| *t != token).unwrap();
    server.execute("UPDATE account_tokens SET expires_at = created_at WHERE user_id = $1", &sam_id).await;
    let expired = server
        .client()
        .post(server.url("/api/password-reset/validate"))
        .json(&json!({"token": late}))
        .send()
        .await
        .unwrap();
    assert_eq!(expired.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reset_requests_are_limited_per_address_and_mails_per_account() {
    let server = TestServer::start_with(|config| {
        config.password_resets_per_address = 5;
        config.password_resets_per_account = 2;
    })
    .await;
    let client = server.client();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let answer = client
            .post(server.url("/api/password-reset/request"))
            .json(&json!({"email": JORDAN}))
            .send()
            .await
            .unwrap();
        statuses.push(answer.status());
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(answer.headers().contains_key("retry-after"));
            let body: Value = answer.json().await.unwrap();
            assert_eq!(body["error"], "password_reset_rate_limited");
        }
    }
    assert_eq!(&statuses[..5], &[StatusCode::OK; 5]);
    assert_eq!(statuses[5], StatusCode::TOO_MANY_REQUESTS);
    // Five answered alike, but only two mails were queued for the account, and both went.
    assert_eq!(queued_to(&server, JORDAN).await, 2);
    assert_eq!(mail::written_to(&server.dir.join("outbox"), JORDAN, 2).await.len(), 2);
}

/// How many mails were ever queued for `email` (sent or not).
async fn queued_to(server: &TestServer, email: &str) -> i64 {
    tandem_server::on_engine!(&server.state, _engine, state => {
        sqlx::query_scalar("SELECT COUNT(*) FROM mail_outbox WHERE to_address = $1")
            .bind(email)
            .fetch_one(&state.db)
            .await
            .unwrap()
    })
}

#[tokio::test]
async fn a_profile_change_is_checked_and_reaches_the_other_person_live() {
    let server = TestServer::start().await;
    let (alex, alex_id) = server.sign_in(COACH).await;
    let (sam, _) = server.sign_in(SAM).await;
    let (alex_other_tab, _) = server.sign_in(COACH).await;
    let mut sam_stream = server.events(&sam).await;
    let mut other_tab_stream = server.events(&alex_other_tab).await;
    let me = format!("/api/users/{alex_id}");
    let before = server.snapshot().await;
    for (body, field) in [
        (json!({"timezone": "Mars/Base"}), "time zone"),
        (json!({"first_name": ""}), "first name"),
        (json!({"email": "nope"}), "email"),
        (json!({"default_coaching_session_duration_minutes": 0}), "duration"),
        (json!({"last_name": "x".repeat(101)}), "last name"),
    ] {
        let (got, error) = error_kind(&server, &alex, Method::PUT, &me, body.clone()).await;
        assert_eq!(got, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(error["message"].as_str().unwrap().contains(field), "{body}: {error}");
    }
    let (got, _) = error_kind(&server, &alex, Method::PUT, &me, json!({"email": SAM})).await;
    assert_eq!(got, StatusCode::CONFLICT);
    assert_eq!(
        status(&server, &sam, Method::PUT, &me, Some(json!({"first_name": "Hacked"}))).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(server.snapshot().await, before);

    let change = json!({"first_name": "Alexandra", "display_name": "Alex M.", "timezone": "Asia/Tokyo",
        "default_coaching_session_duration_minutes": 45});
    let answer = server.call(&alex, Method::PUT, &me, Some(&change)).await;
    assert_eq!(answer.json::<Value>().await.unwrap(), json!({"status_code": 204, "data": null}));
    let seen = sam_stream.expect("user_updated").await.json();
    assert_eq!(seen["data"]["first_name"], "Alexandra");
    assert_eq!(seen["data"]["display_name"], "Alex M.");
    other_tab_stream.expect("user_updated").await;
    let now = server.ok(&alex, Method::GET, &me, None).await;
    assert_eq!(
        (now["timezone"].clone(), now["default_coaching_session_duration_minutes"].clone()),
        (json!("Asia/Tokyo"), json!(45))
    );
    // An empty display name clears it.
    server.ok(&alex, Method::PUT, &me, Some(json!({"display_name": ""}))).await;
    assert_eq!(server.ok(&alex, Method::GET, &me, None).await["display_name"], Value::Null);
}

#[tokio::test]
async fn mail_waits_out_a_dead_smtp_server_and_a_restart_then_goes_once() {
    let port = mail::free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let server = TestServer::start_with(|config| {
        config.smtp_url = Some(url.clone());
        config.mail_retry_secs = 1;
    })
    .await;
    let started = Instant::now();
    let answer = server
        .client()
        .post(server.url("/api/password-reset/request"))
        .json(&json!({"email": SAM}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(started.elapsed() < Duration::from_secs(5), "the request did not wait for the mail server");
    // The sender tried, failed, and keeps the mail for later.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (attempts, error, waiting) = on_engine_tries(&server).await;
        if let Some(error) = error {
            assert!(attempts >= 1 && waiting == 1, "{attempts} tries, {waiting} waiting");
            assert!(error.contains("SMTP") || error.contains("connect"), "{error}");
            break;
        }
        assert!(Instant::now() < deadline, "no send was tried");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Restarted with the mail server back: the queued mail goes out, once.
    let smtp = SmtpServer::start_on(port).await;
    let server = server
        .restarted(|config| {
            config.smtp_url = Some(url.clone());
            config.mail_retry_secs = 1;
        })
        .await;
    assert_eq!(smtp.mails_to(SAM, 1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.received().len(), 1, "sent once");
    assert_eq!(on_engine_tries(&server).await.2, 0, "nothing waits");
}

/// Tries of the queued mail so far, its last error, and how many mails wait.
async fn on_engine_tries(server: &TestServer) -> (i32, Option<String>, i64) {
    tandem_server::on_engine!(&server.state, engine, state => {
        let row: Option<(i32, Option<String>)> =
            sqlx::query_as("SELECT attempts, last_error FROM mail_outbox ORDER BY created_at DESC LIMIT 1")
                .fetch_optional(&state.db)
                .await
                .unwrap();
        let waiting = engine::db::mail_outbox::waiting(&state.db).await.unwrap();
        let (attempts, error) = row.unwrap_or((0, None));
        (attempts, error, waiting)
    })
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn with_two_instances_each_queued_mail_goes_out_once() {
    assert!(std::env::var(POSTGRES_ENV).is_ok(), "needs PostgreSQL");
    let smtp = SmtpServer::start().await;
    let url = smtp.url();
    let a = TestServer::start_with(|config| config.smtp_url = Some(url.clone())).await;
    let b = TestServer::another_instance_with(&a, |config| config.smtp_url = Some(url.clone())).await;
    let (sue, _) = super_admin(&a, "sue@example.com").await;
    let org = a.ok(&sue, Method::POST, "/api/organizations", Some(json!({"name": "Busy"}))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Invitations queued through both instances at once.
    let (sue_on_b, _) = signed_in(&b, "sue@example.com", NEW_PASSWORD).await;
    let path = format!("/api/organizations/{org}/users");
    let bodies: Vec<Value> = (0..20)
        .map(|n| json!({"email": format!("p{n}@example.com"), "first_name": "P", "last_name": format!("{n}")}))
        .collect();
    let adds = bodies.iter().enumerate().map(|(n, body)| {
        let (server, client) = if n % 2 == 0 { (&a, &sue) } else { (&b, &sue_on_b) };
        server.call(client, Method::POST, &path, Some(body))
    });
    for answer in futures_util::future::join_all(adds).await {
        assert_eq!(answer.status(), StatusCode::OK);
    }
    for n in 0..20 {
        assert_eq!(smtp.mails_to(&format!("p{n}@example.com"), 1).await.len(), 1);
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let received = smtp.received();
    assert_eq!(received.len(), 20, "each mail once, though both instances send");
}

//! Signing in and out, the version header and self-only user routes, over a real port.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn login_sets_an_http_only_session_cookie_and_answers_the_person() {
    let server = TestServer::start().await;
    let client = server.client();
    let response = server.login(&client, COACH, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    let cookie = cookies.iter().find(|c| c.starts_with("id=")).expect("a session cookie").clone();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no Secure outside production: {cookie}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status_code"], 200);
    assert_eq!(body["data"]["email"], COACH);
    assert_eq!(body["data"]["first_name"], "Alex");
    assert!(body["data"].get("password_hash").is_none());

    let id = body["data"]["id"].as_str().unwrap();
    let me = server.get(&client, &format!("/api/users/{id}")).await;
    assert_eq!(me.status(), StatusCode::OK);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["data"]["last_name"], "Morgan");
    assert_eq!(me["data"]["default_coaching_session_duration_minutes"], 60);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_are_401_and_set_no_session() {
    let server = TestServer::start().await;
    let client = server.client();
    for (email, password) in
        [(COACH, "wrong"), ("nobody@tandem.demo", DEMO_PASSWORD), ("COACH@tandem.demo", DEMO_PASSWORD)]
    {
        let response = server.login(&client, email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{email}");
        assert_eq!(response.text().await.unwrap(), "Unauthorized");
    }
    let (_, coach_id) = server.sign_in(COACH).await;
    let response = server.get(&client, &format!("/api/users/{coach_id}")).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_malformed_login_form_is_400() {
    let server = TestServer::start().await;
    let response = server.client().post(server.url("/api/login")).form(&[("email", COACH)]).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.text().await.unwrap().contains("password"));
}

#[tokio::test]
async fn json_routes_need_the_exact_version_header() {
    let server = TestServer::start().await;
    let (client, id) = server.sign_in(COACH).await;
    let missing = client.get(server.url(&format!("/api/users/{id}"))).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::BAD_REQUEST);
    assert_eq!(missing.text().await.unwrap(), "`x-version` header is missing");
    let wrong = client.get(server.url(&format!("/api/users/{id}"))).header("x-version", "0.9").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    // Health, login and logout need no version.
    assert_eq!(client.get(server.url("/api/health")).send().await.unwrap().text().await.unwrap(), "healthy");
}

#[tokio::test]
async fn a_person_reads_only_themselves() {
    let server = TestServer::start().await;
    let (coach, _) = server.sign_in(COACH).await;
    let (_, sam_id) = server.sign_in(SAM).await;
    let other = server.get(&coach, &format!("/api/users/{sam_id}")).await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    assert_eq!(other.text().await.unwrap(), "FORBIDDEN");
    let other_orgs = server.get(&coach, &format!("/api/users/{sam_id}/organizations")).await;
    assert_eq!(other_orgs.status(), StatusCode::FORBIDDEN);
    let malformed = server.get(&coach, "/api/users/not-a-uuid").await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let server = TestServer::start().await;
    let (client, id) = server.sign_in(COACH).await;
    // Keep the cookie as it was before logout: replaying it must not work either.
    let replay = server.client();
    let response = server.login(&replay, COACH, DEMO_PASSWORD).await;
    assert_eq!(response.status(), StatusCode::OK);

    let logout = client.delete(server.url("/api/delete")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::OK);
    let after = server.get(&client, &format!("/api/users/{id}")).await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(after.text().await.unwrap(), "Unauthorized");
    // The other login of the same person is untouched.
    assert_eq!(server.get(&replay, &format!("/api/users/{id}")).await.status(), StatusCode::OK);
    // Signing out twice is harmless.
    assert_eq!(client.delete(server.url("/api/delete")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn organizations_and_relationships_of_the_demo() {
    let server = TestServer::start().await;
    let (coach, coach_id) = server.sign_in(COACH).await;
    let orgs: Value = server.get(&coach, &format!("/api/users/{coach_id}/organizations")).await.json().await.unwrap();
    let orgs = orgs["data"].as_array().unwrap();
    assert_eq!(orgs.len(), 1);
    let org_id = orgs[0]["id"].as_str().unwrap();

    let coach_sees: Value =
        server.get(&coach, &format!("/api/organizations/{org_id}/coaching_relationships")).await.json().await.unwrap();
    let names: Vec<&str> =
        coach_sees["data"].as_array().unwrap().iter().map(|r| r["coachee_first_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Jordan", "Sam"]);

    let (sam, _) = server.sign_in(SAM).await;
    let sam_sees: Value =
        server.get(&sam, &format!("/api/organizations/{org_id}/coaching_relationships")).await.json().await.unwrap();
    let sam_sees = sam_sees["data"].as_array().unwrap();
    assert_eq!(sam_sees.len(), 1, "a coachee sees only their own relationship");
    assert_eq!(sam_sees[0]["coach_first_name"], "Alex");

    let unknown =
        server.get(&coach, &format!("/api/organizations/{}/coaching_relationships", uuid::Uuid::new_v4())).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_api_paths_are_404_and_app_paths_get_the_web_app() {
    let server = TestServer::start().await;
    let client = server.client();
    let api = client.get(server.url("/api/nothing-here")).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.text().await.unwrap(), "NOT FOUND");
    for path in ["/", "/dashboard", "/coaching-sessions/123"] {
        let page = client.get(server.url(path)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{path}");
        assert!(page.text().await.unwrap().contains("Tandem test shell"), "{path}");
    }
}

#[tokio::test]
async fn signed_out_requests_are_401() {
    let server = TestServer::start().await;
    let client = server.client();
    let response = server.get(&client, &format!("/api/users/{}", uuid::Uuid::new_v4())).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn assets_are_cached_for_good_and_sent_precompressed_while_html_is_revalidated() {
    let server = TestServer::start().await;
    let dist = server.dir.join("dist");
    std::fs::write(dist.join("app-0123abcd.js"), "console.log('tandem');").unwrap();
    std::fs::write(dist.join("app-0123abcd.js.br"), b"pretend-brotli").unwrap();
    let client = reqwest::Client::new();
    let asset = client.get(server.url("/app-0123abcd.js")).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(asset.headers()["content-encoding"], "br");
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(asset.bytes().await.unwrap().as_ref(), b"pretend-brotli");
    let html = client.get(server.url("/dashboard")).send().await.unwrap();
    assert_eq!(html.headers()["cache-control"], "no-cache");
    let api = client.get(server.url("/api/health")).send().await.unwrap();
    assert!(api.headers().get("cache-control").is_none_or(|v| v != "public, max-age=31536000, immutable"));
}

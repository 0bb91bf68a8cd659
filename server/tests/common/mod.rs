//! A real Tandem server on a free loopback port, with its own database and demo data.

#![allow(dead_code)]

pub mod failover;
pub mod mail;
pub mod notes;
pub mod sse;

use std::path::PathBuf;

use chrono::Utc;
use reqwest::{Client, Response, StatusCode};
use serde::Serialize;
use serde_json::Value;
use tandem_protocol::{Role, API_VERSION};
use tandem_server::auth::password;
use tandem_server::{build_state, on_engine, serve, Config, State};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const DEMO_PASSWORD: &str = "test-demo-password";
pub const COACH: &str = "coach@tandem.demo";
pub const SAM: &str = "sam@tandem.demo";
pub const JORDAN: &str = "jordan@tandem.demo";
/// A second coach, of Olive, in the same organization.
pub const OTHER_COACH: &str = "other.coach@tandem.demo";
pub const OLIVE: &str = "olive@tandem.demo";
/// A member of the organization with no coaching relationship.
pub const STRANGER: &str = "stranger@tandem.demo";

/// The environment variable that runs the suites on PostgreSQL: the URL of a database
/// server's administrative database (each test server gets a fresh database there).
pub const POSTGRES_ENV: &str = "TANDEM_TEST_POSTGRES";

/// A running server; stops and removes its files (or its database) when dropped.
pub struct TestServer {
    pub base: String,
    pub dir: PathBuf,
    pub state: State,
    /// On PostgreSQL: the administrative URL and the name of this server's database.
    database: Option<(String, String)>,
    stop: Option<oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// Adds the people the demo lacks for authorization tests: another coach with a coachee of
/// their own, and an organization member with no relationship.
async fn add_test_people(state: &State) {
    on_engine!(state, engine, state => {
        use engine::db::{organizations, relationships, users};
        let db = &state.db;
        let now = Utc::now();
        let hash = password::hash(DEMO_PASSWORD).unwrap();
        let coach = users::by_email(db, COACH).await.unwrap().unwrap().user.id;
        let organization = organizations::of_member(db, coach).await.unwrap()[0].id;
        let mut ids = Vec::new();
        for (email, first, last) in
            [(OTHER_COACH, "Oona", "Other"), (OLIVE, "Olive", "Ortiz"), (STRANGER, "Stan", "Stranger")]
        {
            let new = users::NewUser {
                email,
                first_name: first,
                last_name: last,
                display_name: None,
                timezone: "UTC",
                password_hash: &hash,
            };
            let id = users::insert(db, &new, now).await.unwrap();
            users::grant_role(db, id, Role::User, Some(organization), now).await.unwrap();
            organizations::add_member(db, organization, id, now).await.unwrap();
            ids.push(id);
        }
        relationships::insert(db, organization, ids[0], ids[1], now).await.unwrap();
    })
}

/// A fresh database for one test server: a new PostgreSQL database when the suites run on
/// PostgreSQL, else a SQLite file in `dir`. Returns its URL and, on PostgreSQL, what to drop.
pub async fn fresh_database(dir: &std::path::Path) -> (String, Option<(String, String)>) {
    let Ok(admin) = std::env::var(POSTGRES_ENV) else {
        return (format!("sqlite://{}/tandem.db", dir.display()), None);
    };
    use sqlx::Connection;
    let name = format!("tandem_test_{}", uuid::Uuid::new_v4().simple());
    let mut connection = sqlx::PgConnection::connect(&admin).await.expect("the test PostgreSQL server");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.unwrap();
    connection.close().await.unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    (url.to_string(), Some((admin, name)))
}

/// Drops a test database (its connections are ended).
pub fn drop_database(admin: String, name: String) {
    // Drop runs inside the test's runtime, which must not block on itself: use another.
    let _ = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            use sqlx::Connection;
            if let Ok(mut connection) = sqlx::PgConnection::connect(&admin).await {
                let _ =
                    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut connection).await;
            }
        });
    })
    .join();
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// A server whose configuration `adjust` may change first.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = Self::make_dir();
        let (url, database) = fresh_database(&dir).await;
        let mut server = Self::start_on(dir, url, adjust).await;
        add_test_people(&server.state).await;
        server.database = database;
        server
    }

    /// A second instance on the same database as `first` (PostgreSQL), as behind a load
    /// balancer. It seeds nothing and drops nothing.
    pub async fn another_instance(first: &TestServer) -> TestServer {
        Self::another_instance_with(first, |_| {}).await
    }

    /// A second instance whose configuration `adjust` may change first.
    pub async fn another_instance_with(first: &TestServer, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let url = match &first.state {
            State::Postgres(state) => state.config.database_url.clone(),
            State::Sqlite(_) => panic!("instances share a PostgreSQL database only"),
        };
        Self::start_on(Self::make_dir(), url, adjust).await
    }

    /// A server on a database that already holds Tandem's data (a restored backup): nothing
    /// is seeded and nothing dropped.
    pub async fn on_existing_database(url: &str) -> TestServer {
        Self::start_on(Self::make_dir(), url.to_owned(), |_| {}).await
    }

    /// Stops this server and starts another on the same database and folder, whose
    /// configuration `adjust` may change: a restart.
    pub async fn restarted(mut self, adjust: impl FnOnce(&mut Config)) -> TestServer {
        self.shut_down().await;
        let url = on_engine!(&self.state, _engine, state => state.config.database_url.clone());
        let dir = std::mem::replace(&mut self.dir, PathBuf::from("/nonexistent-after-restart"));
        let mut next = Self::start_on(dir, url, adjust).await;
        next.database = self.database.take();
        next
    }

    /// The configuration this server runs with.
    pub fn config(&self) -> Config {
        on_engine!(&self.state, _engine, state => (*state.config).clone())
    }

    fn make_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tandem-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::create_dir_all(dir.join("dist/session")).unwrap();
        for page in ["dist/index.html", "dist/session/index.html"] {
            std::fs::write(dir.join(page), "<!doctype html><title>Tandem test shell</title>").unwrap();
        }
        dir
    }

    async fn start_on(dir: PathBuf, url: String, adjust: impl FnOnce(&mut Config)) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = Config::for_tests(url);
        config.demo = true;
        config.demo_password = DEMO_PASSWORD.into();
        config.static_dir = dir.join("dist");
        config.public_url = base.clone();
        config.mail_dir = dir.join("outbox");
        config.mail_poll_ms = 100;
        adjust(&mut config);
        let state = build_state(config).await.expect("server state");
        let (stop, stopped) = oneshot::channel::<()>();
        let running = tokio::spawn(serve(listener, state.clone(), async {
            let _ = stopped.await;
        }));
        TestServer { base, dir, state, database: None, stop: Some(stop), running: Some(running) }
    }

    /// Asks the server to stop and waits until it has (at most five seconds).
    pub async fn shut_down(&mut self) {
        self.shut_down_within(std::time::Duration::from_secs(5)).await;
    }

    /// Asks the server to stop and waits until it has, at most `limit`; how long it took.
    pub async fn shut_down_within(&mut self, limit: std::time::Duration) -> std::time::Duration {
        let started = std::time::Instant::now();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(running) = self.running.take() {
            let finished = tokio::time::timeout(limit, running).await;
            assert!(finished.is_ok(), "the server did not stop within {limit:?}");
        }
        started.elapsed()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: keeps cookies, sends nothing by itself. Every request opens
    /// a connection of its own, so each event stream is the first request of its connection
    /// and the server serves it as it serves a browser's dedicated stream connection
    /// (`lean_stream`).
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).pool_max_idle_per_host(0).build().unwrap()
    }

    /// Signs `email` in on a fresh client; returns the client and the user's id.
    pub async fn sign_in(&self, email: &str) -> (Client, String) {
        let client = self.client();
        let response = self.login(&client, email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        (client, body["data"]["id"].as_str().unwrap().to_owned())
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        client.post(self.url("/api/login")).form(&[("email", email), ("password", password)]).send().await.unwrap()
    }

    /// A GET of a JSON route, with `X-Version`.
    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).header("x-version", API_VERSION).send().await.unwrap()
    }

    /// Any JSON call, with `X-Version`.
    pub async fn call(&self, client: &Client, method: reqwest::Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = client.request(method, self.url(path)).header("x-version", API_VERSION);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    /// A JSON call that must succeed; returns `data` of the envelope (or the bare body).
    pub async fn ok(&self, client: &Client, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let response = self.call(client, method.clone(), path, body.as_ref()).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        match value.get("data") {
            Some(data) if value.get("status_code").is_some() => data.clone(),
            _ => value,
        }
    }

    /// Opens the event stream of a signed-in client.
    pub async fn events(&self, client: &Client) -> sse::SseClient {
        sse::SseClient::connect(client, &self.url("/api/sse"), None).await
    }

    /// Proves an observer's stream received nothing so far: a second login of theirs ends
    /// the first, so the next thing on the stream must be that `force_logout`.
    pub async fn assert_received_nothing(&self, email: &str, stream: &mut sse::SseClient, user_id: &str) {
        let (other_login, _) = self.sign_in(email).await;
        self.ok(&other_login, reqwest::Method::DELETE, &format!("/api/users/{user_id}/sessions"), None).await;
        let frame = stream.next_event().await;
        assert_eq!(
            frame.event.as_deref(),
            Some("force_logout"),
            "{email} received an event meant for others: {frame:?}"
        );
    }

    /// The ids the tests work with.
    pub async fn world(&self) -> World {
        let (coach, coach_id) = self.sign_in(COACH).await;
        let (_, sam_id) = self.sign_in(SAM).await;
        let (_, jordan_id) = self.sign_in(JORDAN).await;
        let orgs = self.ok(&coach, reqwest::Method::GET, &format!("/api/users/{coach_id}/organizations"), None).await;
        let org = orgs[0]["id"].as_str().unwrap().to_owned();
        let rels = self
            .ok(&coach, reqwest::Method::GET, &format!("/api/organizations/{org}/coaching_relationships"), None)
            .await;
        let rel_of = |coachee: &str| {
            rels.as_array().unwrap().iter().find(|r| r["coachee_id"] == coachee).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        let (with_sam, with_jordan) = (rel_of(&sam_id), rel_of(&jordan_id));
        let sessions = self
            .ok(
                &coach,
                reqwest::Method::GET,
                &format!("/api/coaching_sessions?coaching_relationship_id={with_sam}&from_date=2000-01-01&to_date=2100-01-01"),
                None,
            )
            .await;
        let sam_session = sessions[0]["id"].as_str().unwrap().to_owned();
        let (other, _) = self.sign_in(OTHER_COACH).await;
        let other_rels = self
            .ok(&other, reqwest::Method::GET, &format!("/api/organizations/{org}/coaching_relationships"), None)
            .await;
        World {
            organization: org,
            coach_id,
            sam_id,
            jordan_id,
            with_sam,
            with_jordan,
            with_olive: other_rels[0]["id"].as_str().unwrap().to_owned(),
            sam_session,
        }
    }

    /// Runs a statement on the server's database (`$1` is `bind`).
    pub async fn execute(&self, statement: &str, bind: &str) {
        on_engine!(&self.state, _engine, state => {
            sqlx::query(statement).bind(bind.parse::<uuid::Uuid>().ok()).execute(&state.db).await.unwrap();
        })
    }

    /// Every row of every table, to prove a rejected request changed nothing.
    pub async fn snapshot(&self) -> String {
        let mut out = String::new();
        for table in [
            "users",
            "organizations",
            "organization_members",
            "user_roles",
            "coaching_relationships",
            "coaching_sessions",
            "goals",
            "actions",
            "action_assignees",
            "agreements",
            "notes",
            "note_documents",
            "presence",
            "coaching_session_goals",
            "logins",
            "event_heads",
            "events",
            "account_tokens",
            "mail_outbox",
            "notifications",
            "notification_settings",
            "calendar_feeds",
            "reminders",
            "action_digests",
        ] {
            for row in self.rows_as_text(table).await {
                out.push_str(table);
                out.push('|');
                out.push_str(&row);
                out.push('\n');
            }
        }
        assert!(out.contains("coaching_sessions|") && out.contains("logins|"), "the snapshot reads every table");
        out
    }

    /// Each row of `table` as one line of text, in a fixed order.
    async fn rows_as_text(&self, table: &str) -> Vec<String> {
        use sqlx::Row;
        // What a mail says, not how its delivery goes: the sender marks a mail sent on its
        // own time, which may fall between a test's two snapshots.
        let table = match table {
            "mail_outbox" => {
                "(SELECT id, kind, to_address, subject, text_body, html_body, created_at, calendar, \
                              unsubscribe_url FROM mail_outbox)"
            }
            other => other,
        };
        match &self.state {
            State::Postgres(state) => sqlx::query_scalar(&format!("SELECT t::text FROM {table} t ORDER BY 1"))
                .fetch_all(&state.db)
                .await
                .unwrap(),
            State::Sqlite(state) => {
                let rows =
                    sqlx::query(&format!("SELECT * FROM {table} ORDER BY 1, 2")).fetch_all(&state.db).await.unwrap();
                rows.iter()
                    .map(|row| {
                        (0..row.columns().len())
                            .map(|index| match row.try_get_unchecked::<Option<String>, _>(index) {
                                Ok(value) => value.unwrap_or_else(|| "∅".into()),
                                // Ids are 16-byte blobs.
                                Err(_) => row
                                    .try_get_unchecked::<Vec<u8>, _>(index)
                                    .map(|bytes| bytes.iter().map(|b| format!("{b:02x}")).collect())
                                    .unwrap_or_default(),
                            })
                            .collect::<Vec<String>>()
                            .join("|")
                    })
                    .collect()
            }
        }
    }
}

/// Ids of the demo world plus the test people.
pub struct World {
    pub organization: String,
    pub coach_id: String,
    pub sam_id: String,
    pub jordan_id: String,
    /// Alex coaches Sam.
    pub with_sam: String,
    /// Alex coaches Jordan.
    pub with_jordan: String,
    /// Oona coaches Olive.
    pub with_olive: String,
    /// A past session of Alex and Sam.
    pub sam_session: String,
}

/// A JSON value from anything serialisable.
pub fn json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin, name)) = self.database.take() {
            drop_database(admin, name);
        }
    }
}

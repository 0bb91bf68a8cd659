//! A real Tandem server on a free loopback port, with its own database and demo data.

#![allow(dead_code)]

use std::path::PathBuf;

use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use tandem_protocol::API_VERSION;
use tandem_server::{build_state, serve, Config};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub const DEMO_PASSWORD: &str = "test-demo-password";
pub const COACH: &str = "coach@tandem.demo";
pub const SAM: &str = "sam@tandem.demo";
pub const JORDAN: &str = "jordan@tandem.demo";

/// A running server; stops and removes its files when dropped.
pub struct TestServer {
    pub base: String,
    pub dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let dir = std::env::temp_dir().join(format!("tandem-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("dist")).unwrap();
        std::fs::write(dir.join("dist/index.html"), "<!doctype html><title>Tandem test shell</title>").unwrap();
        let mut config = Config::for_tests(format!("sqlite://{}/tandem.db", dir.display()));
        config.demo = true;
        config.demo_password = DEMO_PASSWORD.into();
        config.static_dir = dir.join("dist");
        let state = build_state(config).await.expect("server state");
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(serve(listener, state, async {
            let _ = stopped.await;
        }));
        TestServer { base, dir, stop: Some(stop) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: keeps cookies, sends nothing by itself.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().unwrap()
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
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

//! Backups: `tandem-server admin backup --to FILE` copies a SQLite database while it is
//! written; on PostgreSQL `pg_dump` and `pg_restore` (docs/operations.md). Each copy is
//! restored into a fresh server that then finds every entity, event id and notes document.

mod common;

use std::path::Path;

use common::notes::{push, replica};
use common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::json;

/// Puts notes into the session's live document and returns its text.
async fn write_notes(server: &TestServer, client: &Client, session: &str) -> String {
    let doc = replica(server, client, session).await;
    let update = doc.replace_text("Backed up: agenda, actions, ✓").unwrap();
    assert_eq!(push(server, client, session, &update).await.status(), StatusCode::OK);
    doc.text()
}

/// Adds `count` agreements one after another.
async fn add_agreements(server: &TestServer, client: &Client, session: &str, count: usize) {
    for n in 0..count {
        let body = json!({"coaching_session_id": session, "body": format!("agreement {n}")});
        server.ok(client, Method::POST, "/api/agreements", Some(body)).await;
    }
}

/// Each person's event ids in the database run from their first kept one to their head with
/// no gap: a copy taken mid-write holds whole writes only.
async fn assert_event_ids_whole(server: &TestServer) {
    tandem_server::on_engine!(&server.state, _engine, state => {
        let heads: Vec<(uuid::Uuid, i64)> =
            sqlx::query_as("SELECT user_id, last_id FROM event_heads").fetch_all(&state.db).await.unwrap();
        for (user, head) in heads {
            let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM events WHERE user_id = $1 ORDER BY id")
                .bind(user)
                .fetch_all(&state.db)
                .await
                .unwrap();
            if let Some(&first) = ids.first() {
                let expected: Vec<i64> = (first..=head).collect();
                assert_eq!(ids, expected, "the events of {user} are whole up to their head");
            }
        }
    })
}

#[tokio::test]
async fn a_sqlite_backup_taken_during_writes_restores_whole() {
    if std::env::var(POSTGRES_ENV).is_ok() {
        return; // The PostgreSQL pass backs up with pg_dump (below).
    }
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let notes = write_notes(&server, &alex, &w.sam_session).await;
    let file = server.dir.join("backup-during-writes.db");
    // A backup while agreements keep being written.
    let (_, copied) = tokio::join!(add_agreements(&server, &alex, &w.sam_session, 40), async {
        tandem_server::backup(&server.config(), &file).await
    });
    assert!(copied.unwrap().contains("Copied"));
    assert!(tandem_server::backup(&server.config(), &file).await.is_err(), "never over an existing file");

    let restored = TestServer::on_existing_database(&format!("sqlite://{}", file.display())).await;
    assert_event_ids_whole(&restored).await;
    let (alex_there, _) = restored.sign_in(COACH).await;
    let kept = restored
        .ok(&alex_there, Method::GET, &format!("/api/agreements?coaching_session_id={}", w.sam_session), None)
        .await;
    let kept = kept.as_array().unwrap().len();
    let now =
        server.ok(&alex, Method::GET, &format!("/api/agreements?coaching_session_id={}", w.sam_session), None).await;
    assert!(kept <= now.as_array().unwrap().len());
    assert_eq!(replica(&restored, &alex_there, &w.sam_session).await.text(), notes);

    // Taken once the writes are over, the copy holds exactly what the live database does.
    let file = server.dir.join("backup-after.db");
    tandem_server::backup(&server.config(), &file).await.unwrap();
    let after = TestServer::on_existing_database(&format!("sqlite://{}", file.display())).await;
    assert_eq!(after.snapshot().await, server.snapshot().await);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/with-postgres.sh"]
async fn a_postgres_dump_taken_during_writes_restores_whole() {
    assert!(std::env::var(POSTGRES_ENV).is_ok(), "needs PostgreSQL");
    let bin = postgres_bin();
    let server = TestServer::start().await;
    let w = server.world().await;
    let (alex, _) = server.sign_in(COACH).await;
    let notes = write_notes(&server, &alex, &w.sam_session).await;
    let url = server.config().database_url;
    let dump = server.dir.join("tandem.dump");
    let dumping = {
        let (bin, url, dump) = (bin.clone(), url.clone(), dump.clone());
        tokio::task::spawn_blocking(move || {
            run(&bin.join("pg_dump"), &["--format=custom", "--file", dump.to_str().unwrap(), &url])
        })
    };
    add_agreements(&server, &alex, &w.sam_session, 40).await;
    dumping.await.unwrap();

    let (empty, database) = fresh_database(&server.dir).await;
    run(&bin.join("pg_restore"), &["--no-owner", "--dbname", &empty, dump.to_str().unwrap()]);
    let restored = TestServer::on_existing_database(&empty).await;
    assert_event_ids_whole(&restored).await;
    let (alex_there, _) = restored.sign_in(COACH).await;
    assert_eq!(replica(&restored, &alex_there, &w.sam_session).await.text(), notes);
    drop(restored);
    if let Some((admin, name)) = database {
        drop_database(admin, name);
    }

    // A dump of a quiet database restores to exactly the same rows.
    let dump = server.dir.join("quiet.dump");
    run(&bin.join("pg_dump"), &["--format=custom", "--file", dump.to_str().unwrap(), &url]);
    let (empty, database) = fresh_database(&server.dir).await;
    run(&bin.join("pg_restore"), &["--no-owner", "--dbname", &empty, dump.to_str().unwrap()]);
    let restored = TestServer::on_existing_database(&empty).await;
    assert_eq!(restored.snapshot().await, server.snapshot().await);
    drop(restored);
    if let Some((admin, name)) = database {
        drop_database(admin, name);
    }
}

/// The newest PostgreSQL's programs (as scripts/postgres.sh finds them).
fn postgres_bin() -> std::path::PathBuf {
    let mut found: Vec<_> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed")
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("pg_dump").exists())
        .collect();
    found.sort();
    found.pop().expect("pg_dump")
}

fn run(program: &Path, args: &[&str]) {
    let output = std::process::Command::new(program).args(args).output().expect("run a PostgreSQL program");
    assert!(output.status.success(), "{}: {}", program.display(), String::from_utf8_lossy(&output.stderr));
}

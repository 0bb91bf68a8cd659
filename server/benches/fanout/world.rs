//! Seeding: a fresh database of 100 relationships, each a coach, a coachee and one session.

use super::*;

pub(crate) const PASSWORD: &str = "bench-password";
pub(crate) const RELATIONSHIPS: usize = 100;

pub(crate) struct Person {
    pub(crate) email: String,
    pub(crate) relationship: usize,
}

pub(crate) struct World {
    pub(crate) people: Vec<Person>,
    /// Per relationship: its id and one session to write into.
    pub(crate) sessions: Vec<String>,
}

pub(crate) async fn seed(url: &str) -> BenchResult<World> {
    let state = tandem_server::build_state(tandem_server::Config::for_tests(url)).await.map_err(|e| e.to_string())?;
    tandem_server::on_engine!(state, engine, state => {
        use engine::db::{coaching_sessions, organizations, relationships, users};
        let pool = state.db.clone();
        let now = Utc::now();
        let hash = password::hash(PASSWORD).map_err(|e| e.to_string())?;
        let org = organizations::insert(&pool, "Bench", "bench", now).await.map_err(|e| e.to_string())?;
        let mut people = Vec::new();
        let mut sessions = Vec::new();
        for r in 0..RELATIONSHIPS {
            let mut ids = Vec::new();
            for side in ["coach", "coachee"] {
                let email = format!("{side}{r}@bench.test");
                let new = users::NewUser {
                    email: &email,
                    first_name: side,
                    last_name: "Bench",
                    display_name: None,
                    timezone: "UTC",
                    password_hash: &hash,
                };
                let id = users::insert(&pool, &new, now).await.map_err(|e| e.to_string())?;
                users::grant_role(&pool, id, Role::User, Some(org), now).await.map_err(|e| e.to_string())?;
                organizations::add_member(&pool, org, id, now).await.map_err(|e| e.to_string())?;
                ids.push(id);
                people.push(Person { email, relationship: r });
            }
            let rel = relationships::insert(&pool, org, ids[0], ids[1], now).await.map_err(|e| e.to_string())?;
            let fields = coaching_sessions::SessionFields {
                date: now.naive_utc(),
                duration_minutes: 60,
                title: Some("Bench"),
                meeting_url: None,
                provider: None,
            };
            let session = coaching_sessions::insert(&pool, rel, &fields, now).await.map_err(|e| e.to_string())?;
            sessions.push(session.to_string());
        }
        pool.close().await;
        Ok(World { people, sessions })
    })
}

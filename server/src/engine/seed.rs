//! Seeding the demo data (see [`crate::demo`]) into an empty database.

use chrono::{Duration, NaiveTime, Utc};
use tandem_protocol::{Agreement, CoachingRelationshipId, CoachingSessionId, Note, Role, Status, UserId};

use super::db::actions::ActionFields;
use super::db::coaching_sessions::SessionFields;
use super::db::goals::GoalFields;
use super::db::{actions, coaching_sessions, goals, organizations, relationships, session_texts, users};
use super::db::{Pool, Tx};
use crate::auth::password;
use crate::demo::{DemoError, PEOPLE, PUBLISHED_PASSWORD};

/// The first demo person whose password is still the published one, if any.
pub async fn person_with_published_password(db: &Pool) -> Result<Option<String>, DemoError> {
    for person in &PEOPLE {
        let Some(stored) = users::by_email(db, person.email).await? else { continue };
        let hash = stored.password_hash.clone();
        let published = tokio::task::spawn_blocking(move || password::verify(PUBLISHED_PASSWORD, &hash))
            .await
            .map_err(|e| DemoError::Hash(e.to_string()))?;
        if published {
            return Ok(Some(person.email.to_owned()));
        }
    }
    Ok(None)
}

/// Seeds the demo when the database has no users; returns whether it did.
pub async fn seed_if_empty(db: &Pool, demo_password: &str) -> Result<bool, DemoError> {
    if !users::is_empty(db).await? {
        return Ok(false);
    }
    let hash = password::hash(demo_password).map_err(|e| DemoError::Hash(e.to_string()))?;
    match seed(db, &hash).await {
        Ok(()) => Ok(true),
        // Another instance on the same database seeded it first.
        Err(DemoError::Database(error))
            if error.as_database_error().is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation) =>
        {
            Ok(false)
        }
        Err(error) => Err(error),
    }
}

/// Writes the demo in one transaction.
async fn seed(db: &Pool, hash: &str) -> Result<(), DemoError> {
    let now = Utc::now();
    let mut tx = db.begin().await?;

    let organization = organizations::insert(&mut *tx, "Northwind Coaching", "northwind", now).await?;
    let mut ids = Vec::with_capacity(PEOPLE.len());
    for person in &PEOPLE {
        let new = users::NewUser {
            email: person.email,
            first_name: person.first_name,
            last_name: person.last_name,
            display_name: None,
            timezone: person.timezone,
            password_hash: hash,
        };
        let user_id = users::insert(&mut *tx, &new, now).await?;
        users::grant_role(&mut *tx, user_id, Role::User, Some(organization), now).await?;
        organizations::add_member(&mut *tx, organization, user_id, now).await?;
        ids.push(user_id);
    }
    let (coach, sam, jordan) = (ids[0], ids[1], ids[2]);

    let with_sam = relationships::insert(&mut *tx, organization, coach, sam, now).await?;
    let with_jordan = relationships::insert(&mut *tx, organization, coach, jordan, now).await?;

    let sam_sessions =
        seed_sessions(&mut tx, with_sam, &["Getting started", "Presence on stage", "Handling questions"]).await?;
    let jordan_sessions =
        seed_sessions(&mut tx, with_jordan, &["Intro and hopes", "Feedback that lands", "Growing others"]).await?;

    // Sam: speaking goals, worked on in the latest past session.
    let latest = sam_sessions[2];
    let speak = goal(&mut tx, with_sam, coach, "Speak at the spring meetup", Status::InProgress).await?;
    goal(&mut tx, with_sam, sam, "Delegate the weekly report", Status::NotStarted).await?;
    goal(&mut tx, with_sam, coach, "Finish the leadership course", Status::Completed).await?;
    goals::link(&mut *tx, latest, speak, now).await?;
    action(&mut tx, latest, coach, sam, "Draft the talk outline", Status::InProgress, Some(speak), 5).await?;
    action(&mut tx, latest, sam, sam, "Rehearse with two colleagues", Status::NotStarted, Some(speak), 12).await?;
    action(&mut tx, sam_sessions[1], coach, sam, "Record a five-minute practice run", Status::Completed, None, -3)
        .await?;
    session_texts::insert::<Agreement>(
        &mut *tx,
        latest,
        coach,
        Some("Sam shares the outline two days before our next session."),
        now,
    )
    .await?;
    session_texts::insert::<Agreement>(
        &mut *tx,
        latest,
        sam,
        Some("We start each session with a short check-in."),
        now,
    )
    .await?;
    session_texts::insert::<Note>(
        &mut *tx,
        latest,
        coach,
        Some("Sam feels confident about content; nerves come from Q&A."),
        now,
    )
    .await?;

    // Jordan: feedback and mentoring.
    let latest = jordan_sessions[2];
    let mentor = goal(&mut tx, with_jordan, jordan, "Build a mentoring habit", Status::InProgress).await?;
    goal(&mut tx, with_jordan, coach, "Get comfortable giving feedback", Status::OnHold).await?;
    goals::link(&mut *tx, latest, mentor, now).await?;
    action(&mut tx, latest, jordan, jordan, "Book a monthly slot with a mentee", Status::NotStarted, Some(mentor), 7)
        .await?;
    action(&mut tx, jordan_sessions[1], coach, jordan, "Write down three feedback examples", Status::OnHold, None, -1)
        .await?;
    session_texts::insert::<Agreement>(
        &mut *tx,
        latest,
        coach,
        Some("Jordan tries the SBI model once this week."),
        now,
    )
    .await?;
    session_texts::insert::<Note>(
        &mut *tx,
        latest,
        jordan,
        Some("Mentoring energises me; scheduling is the hard part."),
        now,
    )
    .await?;

    // A second organization, where Jordan coaches Sam: a person in two organizations works
    // in both, and a link to a session of either opens it with the right one chosen.
    let riverside = organizations::insert(&mut *tx, "Riverside Mentoring", "riverside", now).await?;
    for person in [sam, jordan] {
        users::grant_role(&mut *tx, person, Role::User, Some(riverside), now).await?;
        organizations::add_member(&mut *tx, riverside, person, now).await?;
    }
    let peers = relationships::insert(&mut *tx, riverside, jordan, sam, now).await?;
    let check_in = SessionFields {
        date: (Utc::now().date_naive() + Duration::days(5)).and_time(NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default()),
        duration_minutes: 30,
        title: Some("Peer check-in"),
        meeting_url: None,
        provider: None,
    };
    coaching_sessions::insert(&mut *tx, peers, &check_in, now).await?;

    tx.commit().await?;
    tracing::info!("seeded the demo organizations, people and sessions");
    Ok(())
}

/// Three past sessions (titled) and two upcoming ones, at 14:00 UTC.
async fn seed_sessions(
    tx: &mut Tx,
    relationship: CoachingRelationshipId,
    titles: &[&str; 3],
) -> Result<Vec<CoachingSessionId>, DemoError> {
    let today = Utc::now().date_naive();
    let at = NaiveTime::from_hms_opt(14, 0, 0).unwrap_or_default();
    let mut sessions = Vec::new();
    for (offset, title) in
        [(-28, Some(titles[0])), (-14, Some(titles[1])), (-7, Some(titles[2])), (3, None), (10, None)]
    {
        let fields = SessionFields {
            date: (today + Duration::days(offset)).and_time(at),
            duration_minutes: if offset < 0 { 60 } else { 45 },
            title,
            meeting_url: None,
            provider: None,
        };
        sessions.push(coaching_sessions::insert(&mut **tx, relationship, &fields, Utc::now()).await?);
    }
    Ok(sessions)
}

async fn goal(
    tx: &mut Tx,
    relationship: CoachingRelationshipId,
    author: UserId,
    title: &str,
    status: Status,
) -> Result<tandem_protocol::GoalId, DemoError> {
    let fields = GoalFields { title: Some(title), body: None, status, target_date: None, created_in_session_id: None };
    Ok(goals::insert(&mut **tx, relationship, author, &fields, Utc::now()).await?)
}

#[allow(clippy::too_many_arguments)]
async fn action(
    tx: &mut Tx,
    session: CoachingSessionId,
    author: UserId,
    assignee: UserId,
    body: &str,
    status: Status,
    goal_id: Option<tandem_protocol::GoalId>,
    due_in_days: i64,
) -> Result<(), DemoError> {
    let fields = ActionFields {
        body: Some(body),
        due_by: Some(Utc::now() + Duration::days(due_in_days)),
        status,
        goal_id,
        assignee_ids: &[assignee],
    };
    actions::insert(tx, session, author, &fields, Utc::now()).await?;
    Ok(())
}

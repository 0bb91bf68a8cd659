//! Which mails each person gets; a person without a row has the defaults.

use chrono::{DateTime, Utc};
use tandem_protocol::{NotificationSettings, UserId};

use super::Db;

#[derive(sqlx::FromRow)]
struct Row {
    session_invites: bool,
    reminder_day_before: bool,
    reminder_hour_before: bool,
    action_assigned: bool,
    action_digest: bool,
}

/// `user`'s settings.
pub async fn of(db: impl sqlx::Executor<'_, Database = Db>, user: UserId) -> Result<NotificationSettings, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT session_invites, reminder_day_before, reminder_hour_before, action_assigned, action_digest
         FROM notification_settings WHERE user_id = $1",
    )
    .bind(user)
    .fetch_optional(db)
    .await?;
    Ok(row.map_or_else(NotificationSettings::default, |row| NotificationSettings {
        session_invites: row.session_invites,
        reminder_day_before: row.reminder_day_before,
        reminder_hour_before: row.reminder_hour_before,
        action_assigned: row.action_assigned,
        action_digest: row.action_digest,
    }))
}

/// Stores `user`'s settings.
pub async fn store(
    db: impl sqlx::Executor<'_, Database = Db>,
    user: UserId,
    settings: &NotificationSettings,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO notification_settings
            (user_id, session_invites, reminder_day_before, reminder_hour_before, action_assigned, action_digest, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id) DO UPDATE SET session_invites = $2, reminder_day_before = $3, reminder_hour_before = $4,
            action_assigned = $5, action_digest = $6, updated_at = $7",
    )
    .bind(user)
    .bind(settings.session_invites)
    .bind(settings.reminder_day_before)
    .bind(settings.reminder_hour_before)
    .bind(settings.action_assigned)
    .bind(settings.action_digest)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

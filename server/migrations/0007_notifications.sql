-- What reaches people when they are not looking: calendar invites and reminders by mail, the
-- private calendar feed, and the in-app inbox.

-- A mail may carry a calendar file (an iCalendar object whose METHOD says REQUEST, CANCEL or
-- PUBLISH) and the address of its one-click unsubscribe (the List-Unsubscribe header).
ALTER TABLE mail_outbox ADD COLUMN calendar TEXT;
ALTER TABLE mail_outbox ADD COLUMN unsubscribe_url TEXT;

-- Which mails a person gets; no row means the defaults.
CREATE TABLE notification_settings (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_invites BOOLEAN NOT NULL,
    reminder_day_before BOOLEAN NOT NULL,
    reminder_hour_before BOOLEAN NOT NULL,
    action_assigned BOOLEAN NOT NULL,
    action_digest BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- A person's private calendar feed: only the SHA-256 of its secret is kept.
CREATE TABLE calendar_feeds (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- Reminders as durable jobs: one row per session, person and lead time, made when the
-- session is scheduled or moved and removed when it is cancelled. Any instance claims a due
-- row and, in one transaction, queues its mail and marks it sent: each goes out once.
CREATE TABLE reminders (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    lead TEXT NOT NULL CHECK (lead IN ('day', 'hour')),
    due_at TIMESTAMPTZ NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    UNIQUE (coaching_session_id, user_id, lead)
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE sent_at IS NULL;

-- The day (in the person's zone) each person last got the digest of actions due soon: at
-- most one a day, whichever instance sends it.
CREATE TABLE action_digests (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    local_date TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, local_date)
);

-- A person's inbox: what the other person did for them, kept 90 days. The session and action
-- are not foreign keys: an item about a cancelled session outlives it.
CREATE TABLE notifications (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    actor_id UUID,
    actor_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    coaching_session_id UUID,
    action_id UUID,
    session_date TIMESTAMP,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

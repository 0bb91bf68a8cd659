-- Tandem schema, one for both engines. It keeps to types both read the same way:
-- UUID (PostgreSQL's uuid; on SQLite a 16-byte blob), TIMESTAMPTZ (on SQLite RFC 3339 text in
-- UTC), TIMESTAMP (coaching_sessions.date, a naive datetime, UTC by convention), DATE, TEXT,
-- INTEGER and BIGINT. Enums are TEXT with a CHECK of their wire spellings.

CREATE TABLE users (
    id UUID PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    display_name TEXT,
    github_username TEXT,
    github_profile_url TEXT,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    default_coaching_session_duration_minutes INTEGER NOT NULL DEFAULT 60,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE organizations (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    logo TEXT,
    slug TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    archived_at TIMESTAMPTZ,
    archived_by UUID REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE organization_members (
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_by_user ON organization_members (user_id);

CREATE TABLE user_roles (
    id UUID PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('User', 'Admin', 'SuperAdmin')),
    organization_id UUID REFERENCES organizations (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_roles_by_user ON user_roles (user_id);

CREATE TABLE coaching_relationships (
    id UUID PRIMARY KEY NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    coach_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    coachee_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, coach_id, coachee_id),
    CHECK (coach_id <> coachee_id)
);
CREATE INDEX coaching_relationships_by_coach ON coaching_relationships (coach_id);
CREATE INDEX coaching_relationships_by_coachee ON coaching_relationships (coachee_id);

CREATE TABLE coaching_sessions (
    id UUID PRIMARY KEY NOT NULL,
    coaching_relationship_id UUID NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    coaching_session_series_id UUID,
    ical_sequence INTEGER NOT NULL DEFAULT 0,
    ical_recurrence_id TEXT,
    collab_document_name TEXT,
    date TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),
    title TEXT,
    meeting_url TEXT,
    provider TEXT CHECK (provider IN ('google', 'zoom')),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    hydrated_at TIMESTAMPTZ,
    notice_given_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX coaching_sessions_by_relationship_date ON coaching_sessions (coaching_relationship_id, date);

CREATE TABLE goals (
    id UUID PRIMARY KEY NOT NULL,
    coaching_relationship_id UUID NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    created_in_session_id UUID REFERENCES coaching_sessions (id) ON DELETE SET NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    title TEXT,
    body TEXT,
    status TEXT NOT NULL CHECK (status IN ('NotStarted', 'InProgress', 'Completed', 'OnHold', 'WontDo')),
    status_changed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    target_date DATE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX goals_by_relationship ON goals (coaching_relationship_id);

CREATE TABLE actions (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    goal_id UUID REFERENCES goals (id) ON DELETE SET NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    body TEXT,
    due_by TIMESTAMPTZ,
    status TEXT NOT NULL CHECK (status IN ('NotStarted', 'InProgress', 'Completed', 'OnHold', 'WontDo')),
    status_changed_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX actions_by_session ON actions (coaching_session_id);

CREATE TABLE action_assignees (
    action_id UUID NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, user_id)
);
CREATE INDEX action_assignees_by_user ON action_assignees (user_id);

CREATE TABLE agreements (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    body TEXT,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX agreements_by_session ON agreements (coaching_session_id);

CREATE TABLE notes (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    body TEXT,
    user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX notes_by_session ON notes (coaching_session_id);

CREATE TABLE coaching_session_goals (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    goal_id UUID NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (coaching_session_id, goal_id)
);
CREATE INDEX coaching_session_goals_by_goal ON coaching_session_goals (goal_id);

-- One row per sign-in. The cookie session names its login; a revoked login stops working at
-- once on every instance that shares the database.
CREATE TABLE logins (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX logins_by_user ON logins (user_id);

-- The event stream, kept in the database so that every instance hands out the same ids and
-- any of them can replay what a person missed. Ids count per person: `event_heads` holds the
-- last one, and a write locks its recipients' heads until it commits, so a person's events
-- commit in id order and a replay after id N can never later meet an id below N.
CREATE TABLE event_heads (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_id BIGINT NOT NULL
);

CREATE TABLE events (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id BIGINT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, id)
);
CREATE INDEX events_by_age ON events (created_at);

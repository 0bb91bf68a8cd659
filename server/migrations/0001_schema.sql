-- Tandem schema. Ids are lowercase hyphenated UUID strings; times are RFC 3339 text in UTC
-- (coaching_sessions.date is a naive datetime, UTC by convention).

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    display_name TEXT,
    github_username TEXT,
    github_profile_url TEXT,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    default_coaching_session_duration_minutes INTEGER NOT NULL DEFAULT 60,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    logo TEXT,
    slug TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    archived_at TEXT,
    archived_by TEXT REFERENCES users (id) ON DELETE SET NULL
);

CREATE TABLE organization_members (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_by_user ON organization_members (user_id);

CREATE TABLE user_roles (
    id TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('User', 'Admin', 'SuperAdmin')),
    organization_id TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX user_roles_by_user ON user_roles (user_id);

CREATE TABLE coaching_relationships (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    coach_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    coachee_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organization_id, coach_id, coachee_id),
    CHECK (coach_id <> coachee_id)
);
CREATE INDEX coaching_relationships_by_coach ON coaching_relationships (coach_id);
CREATE INDEX coaching_relationships_by_coachee ON coaching_relationships (coachee_id);

CREATE TABLE coaching_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_relationship_id TEXT NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    coaching_session_series_id TEXT,
    ical_sequence INTEGER NOT NULL DEFAULT 0,
    ical_recurrence_id TEXT,
    collab_document_name TEXT,
    date TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),
    title TEXT,
    meeting_url TEXT,
    provider TEXT CHECK (provider IN ('google', 'zoom')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    hydrated_at TEXT,
    notice_given_at TEXT NOT NULL
);
CREATE INDEX coaching_sessions_by_relationship_date ON coaching_sessions (coaching_relationship_id, date);

CREATE TABLE goals (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_relationship_id TEXT NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    created_in_session_id TEXT REFERENCES coaching_sessions (id) ON DELETE SET NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    title TEXT,
    body TEXT,
    status TEXT NOT NULL CHECK (status IN ('NotStarted', 'InProgress', 'Completed', 'OnHold', 'WontDo')),
    status_changed_at TEXT,
    completed_at TEXT,
    target_date TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX goals_by_relationship ON goals (coaching_relationship_id);

CREATE TABLE actions (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_session_id TEXT NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    goal_id TEXT REFERENCES goals (id) ON DELETE SET NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    body TEXT,
    due_by TEXT,
    status TEXT NOT NULL CHECK (status IN ('NotStarted', 'InProgress', 'Completed', 'OnHold', 'WontDo')),
    status_changed_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX actions_by_session ON actions (coaching_session_id);

CREATE TABLE action_assignees (
    action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, user_id)
);
CREATE INDEX action_assignees_by_user ON action_assignees (user_id);

CREATE TABLE agreements (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_session_id TEXT NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    body TEXT,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX agreements_by_session ON agreements (coaching_session_id);

CREATE TABLE notes (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_session_id TEXT NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    body TEXT,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX notes_by_session ON notes (coaching_session_id);

CREATE TABLE coaching_session_goals (
    id TEXT PRIMARY KEY NOT NULL,
    coaching_session_id TEXT NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    goal_id TEXT NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (coaching_session_id, goal_id)
);
CREATE INDEX coaching_session_goals_by_goal ON coaching_session_goals (goal_id);

-- One row per sign-in. The cookie session names its login; a revoked login stops working at
-- once on every instance that shares the database.
CREATE TABLE logins (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX logins_by_user ON logins (user_id);

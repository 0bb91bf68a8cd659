-- Recurring coaching sessions: a series makes ordinary sessions that name it
-- (coaching_sessions.coaching_session_series_id); the rule is kept as its JSON.
CREATE TABLE coaching_session_series (
    id UUID PRIMARY KEY NOT NULL,
    coaching_relationship_id UUID NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    start_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 480),
    ical_sequence INTEGER NOT NULL DEFAULT 0,
    created_by_user_id UUID NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX coaching_session_series_by_relationship ON coaching_session_series (coaching_relationship_id);
CREATE INDEX coaching_sessions_by_series ON coaching_sessions (coaching_session_series_id);

-- The session as coaches run it: its agenda (topics), when each person last opened it, and
-- what was deleted lately, so a delete can be undone with the same item.

-- A session's agenda. A deleted topic stays (deleted_at set) so that undo brings it back;
-- a deferred one moves to the relationship's next session, remembering where it came from
-- and its status there, so that undo can move it back.
CREATE TABLE topics (
    id UUID PRIMARY KEY NOT NULL,
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id),
    priority TEXT CHECK (priority IN ('Low', 'Medium', 'High')),
    status TEXT NOT NULL CHECK (status IN ('Open', 'Discussed', 'Deferred')),
    moved_from_session_id UUID REFERENCES coaching_sessions (id) ON DELETE SET NULL,
    status_before_move TEXT CHECK (status_before_move IN ('Open', 'Discussed', 'Deferred')),
    position INTEGER NOT NULL,
    deleted_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by UUID REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX topics_by_session ON topics (coaching_session_id, position);

-- When each participant last opened each session (`POST /coaching_sessions/{id}/view`).
CREATE TABLE session_views (
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_viewed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (coaching_session_id, user_id)
);

-- What a delete took away, for a while, so that undo restores the same item with the same id
-- and links: an action, agreement or goal as its JSON, with its links (an action's assignees,
-- a goal's sessions and actions). Kept a day.
CREATE TABLE deleted_items (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('action', 'agreement', 'goal')),
    coaching_relationship_id UUID NOT NULL REFERENCES coaching_relationships (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    links TEXT NOT NULL,
    deleted_by UUID REFERENCES users (id) ON DELETE SET NULL,
    deleted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX deleted_items_by_age ON deleted_items (deleted_at);

-- Live notes [extension]: each coaching session's notes as one Yjs document (`state` is the
-- whole document, encoded). The session's first note keeps the document's text as its body,
-- so every reader of `/notes` sees what was typed.
CREATE TABLE note_documents (
    coaching_session_id UUID PRIMARY KEY NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    state BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Presence [extension]: the pages (tabs) that have a session open, each until it stops saying
-- so. Shared by every instance, so each sees who is present through any of them.
CREATE TABLE presence (
    coaching_session_id UUID NOT NULL REFERENCES coaching_sessions (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tab TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (coaching_session_id, user_id, tab)
);
CREATE INDEX presence_by_expiry ON presence (expires_at);

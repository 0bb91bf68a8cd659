-- Replay keeps one notes update per document and person [extension]: an event that a newer
-- one of the same document and author supersedes is rewritten to its short form (no update), so the
-- table's size follows the documents, not the typing. `compact_key` names the document and
-- author of the newest full one; it is cleared once that one is superseded too.
ALTER TABLE events ADD COLUMN compact_key TEXT;
CREATE INDEX events_by_compact_key ON events (user_id, compact_key) WHERE compact_key IS NOT NULL;

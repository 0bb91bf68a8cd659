-- Onboarding and mail. A person invited but not yet set up has an empty password hash
-- (which never verifies): they sign in only after following their setup link.

-- Setup (invitation) and password-reset links. Only the SHA-256 of a token is kept, so a
-- copy of the database signs nobody in. A token is used once; a newer one of the same
-- purpose for the same person replaces it.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'reset')),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX account_tokens_by_user ON account_tokens (user_id, purpose);

-- Mail waiting to go out, written in the transaction of the change that causes it. Any
-- instance claims due rows (until `claimed_until`), sends them and marks them sent; a failed
-- send comes back at `next_attempt_at`, later each time.
CREATE TABLE mail_outbox (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until TIMESTAMPTZ,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- Secrets every instance shares, made by the first one to start: the key that signs device
-- cookies, so a browser known to one instance is known to all.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

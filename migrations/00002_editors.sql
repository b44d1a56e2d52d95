-- +goose Up
-- Editors: accounts, their sessions, and an audit log of every change they make.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (email LIKE '%_@_%'),
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    password_hash TEXT NOT NULL,            -- argon2id, in the PHC string format
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Server-side sessions, in the layout github.com/alexedwards/scs/sqlite3store expects.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BLOB NOT NULL,
    expiry REAL NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    user_id INTEGER REFERENCES users (id),   -- NULL: the system (corpus load)
    action  TEXT NOT NULL,                  -- e.g. source.create, claim.update
    entity  TEXT NOT NULL,                  -- what was changed: source/slug, claim/slug ...
    detail  TEXT NOT NULL DEFAULT ''        -- a readable summary of the change
);
CREATE INDEX audit_log_entity ON audit_log (entity);

-- A digest of a source's text, so pasting the same article twice is noticed.
ALTER TABLE sources ADD COLUMN text_digest TEXT NOT NULL DEFAULT '';
CREATE INDEX sources_text_digest ON sources (text_digest);
CREATE INDEX sources_url ON sources (url);

-- +goose Down
DROP INDEX sources_url;
DROP INDEX sources_text_digest;
ALTER TABLE sources DROP COLUMN text_digest;
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE users;

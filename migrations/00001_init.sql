-- +goose Up
-- The knowledge base: sources split into blocks, the actors and issues they discuss, the
-- claims that cite exact spans of blocks, positions built from claims, and precedents.
-- Dates are ISO 8601 text cut to their precision ('2025-08-18', '2025-08', '2025', or '').

CREATE TABLE sources (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    title         TEXT NOT NULL CHECK (title <> ''),
    subtitle      TEXT NOT NULL DEFAULT '',
    publisher     TEXT NOT NULL DEFAULT '',   -- the original publisher; '' when unknown
    captured_from TEXT NOT NULL DEFAULT '',   -- where this copy was captured (republications)
    published     TEXT NOT NULL DEFAULT '',   -- ISO date cut to its precision; '' when unknown
    url           TEXT NOT NULL DEFAULT '',
    retrieved     TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL CHECK (kind IN ('news-report', 'analysis', 'primary-document', 'official-statement')),
    language      TEXT NOT NULL DEFAULT 'en',
    notes         TEXT NOT NULL DEFAULT '',
    seed          TEXT NOT NULL DEFAULT '',   -- the captured file the text was cleaned from
    status        TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published')),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE source_authors (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (name <> ''),
    PRIMARY KEY (source_id, position)
) WITHOUT ROWID;

-- A block keeps its key for life. Its text lives in revisions; blocks.rev names the current
-- one. A block removed from the text keeps its row (position NULL) so old permalinks resolve.
CREATE TABLE blocks (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key       TEXT NOT NULL CHECK (key <> ''),
    position  INTEGER,                     -- 1-based order in the current text; NULL if removed
    kind      TEXT NOT NULL CHECK (kind IN ('paragraph', 'heading', 'blockquote', 'caption', 'footnote')),
    label     TEXT NOT NULL DEFAULT '',    -- a footnote's number, cited in paragraphs as [^N]
    rev       INTEGER NOT NULL DEFAULT 1,  -- current revision
    text      TEXT NOT NULL,               -- the current revision's text, kept here for reads
    UNIQUE (source_id, key),
    UNIQUE (source_id, position)
);

CREATE TABLE block_revisions (
    block_id   INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    rev        INTEGER NOT NULL,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (block_id, rev)
) WITHOUT ROWID;

CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'state', 'organisation', 'coalition')),
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    alias    TEXT NOT NULL CHECK (alias <> ''),
    PRIMARY KEY (actor_id, alias)
) WITHOUT ROWID;

-- A role as a passage states it: "lecturer at MGIMO", "then-U.S. ambassador to Russia".
CREATE TABLE actor_roles (
    id        INTEGER PRIMARY KEY,
    actor_id  INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    title     TEXT NOT NULL CHECK (title <> ''),
    org_id    INTEGER REFERENCES actors (id) ON DELETE SET NULL,
    as_stated TEXT NOT NULL,
    former    INTEGER NOT NULL DEFAULT 0 CHECK (former IN (0, 1)),
    block_id  INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE
);
CREATE INDEX actor_roles_actor ON actor_roles (actor_id);

CREATE TABLE issues (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name        TEXT NOT NULL,
    question    TEXT NOT NULL,
    proposition TEXT NOT NULL,   -- what a stance is for or against
    position    INTEGER NOT NULL
);

CREATE TABLE claims (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    statement  TEXT NOT NULL CHECK (statement <> ''),
    speaker_id INTEGER REFERENCES actors (id),   -- NULL: the source's author(s)
    holder_id  INTEGER REFERENCES actors (id),   -- whose stance it expresses; NULL: the speaker's
    kind       TEXT NOT NULL CHECK (kind IN ('quote', 'paraphrase', 'analysis')),
    said       TEXT NOT NULL DEFAULT '',         -- when it was said, if the source says
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX claims_source ON claims (source_id);
CREATE INDEX claims_speaker ON claims (speaker_id);
CREATE INDEX claims_holder ON claims (holder_id);

CREATE TABLE claim_issues (
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES issues (id),
    stance   TEXT NOT NULL CHECK (stance IN ('for', 'against', 'conditional', 'mixed', 'neutral')),
    PRIMARY KEY (claim_id, issue_id)
) WITHOUT ROWID;
CREATE INDEX claim_issues_issue ON claim_issues (issue_id);

-- A citation is a W3C Web Annotation target: a TextPositionSelector (start, end: Unicode
-- code points into the block revision's text) and a TextQuoteSelector (exact, prefix, suffix),
-- so the quote can be re-found if the block is edited.
CREATE TABLE citations (
    id        INTEGER PRIMARY KEY,
    claim_id  INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    block_id  INTEGER NOT NULL REFERENCES blocks (id),
    block_rev INTEGER NOT NULL,
    start     INTEGER NOT NULL CHECK (start >= 0),
    end       INTEGER NOT NULL CHECK (end > start),
    exact     TEXT NOT NULL CHECK (exact <> ''),
    prefix    TEXT NOT NULL DEFAULT '',
    suffix    TEXT NOT NULL DEFAULT '',
    status    TEXT NOT NULL DEFAULT 'anchored' CHECK (status IN ('anchored', 'orphaned')),
    FOREIGN KEY (block_id, block_rev) REFERENCES block_revisions (block_id, rev)
);
CREATE INDEX citations_claim ON citations (claim_id);
CREATE INDEX citations_block ON citations (block_id);

CREATE TABLE positions (
    id       INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    stance   TEXT NOT NULL CHECK (stance IN ('for', 'against', 'conditional', 'mixed', 'neutral')),
    summary  TEXT NOT NULL CHECK (summary <> ''),
    UNIQUE (actor_id, issue_id)
);

CREATE TABLE position_claims (
    position_id INTEGER NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    claim_id    INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    PRIMARY KEY (position_id, claim_id)
) WITHOUT ROWID;

CREATE TABLE precedents (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE CHECK (slug <> ''),
    name       TEXT NOT NULL CHECK (name <> ''),
    -- a past arrangement, or one of today's proposals compared with them
    kind       TEXT NOT NULL DEFAULT 'precedent' CHECK (kind IN ('precedent', 'proposal')),
    date_start TEXT NOT NULL DEFAULT '',  -- as the sources state it; '' when they do not
    date_end   TEXT NOT NULL DEFAULT '',
    summary    TEXT NOT NULL DEFAULT ''
);

-- What the sources say of a precedent, one cited fact per row: its parties, what was promised,
-- what happened... Facts are never free-standing: each names the block that states it.
CREATE TABLE precedent_facts (
    id           INTEGER PRIMARY KEY,
    precedent_id INTEGER NOT NULL REFERENCES precedents (id) ON DELETE CASCADE,
    aspect       TEXT NOT NULL CHECK (aspect IN ('date', 'parties', 'guarantors', 'obligation', 'trigger', 'response', 'legal-form', 'enforcement', 'scope', 'promised', 'happened')),
    text         TEXT NOT NULL CHECK (text <> ''),
    block_id     INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE
);
CREATE INDEX precedent_facts_precedent ON precedent_facts (precedent_id);

CREATE TABLE precedent_mentions (
    precedent_id INTEGER NOT NULL REFERENCES precedents (id) ON DELETE CASCADE,
    block_id     INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    PRIMARY KEY (precedent_id, block_id)
) WITHOUT ROWID;
CREATE INDEX precedent_mentions_block ON precedent_mentions (block_id);

CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    date         TEXT NOT NULL CHECK (date <> ''),
    title        TEXT NOT NULL CHECK (title <> ''),
    block_id     INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    precedent_id INTEGER REFERENCES precedents (id) ON DELETE SET NULL
);
CREATE INDEX events_date ON events (date);

-- The data version: bumped by every write transaction, so pages can carry ETags and caches
-- can tell fresh from stale without comparing content.
CREATE TABLE site_meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO site_meta (id, version, updated_at) VALUES (1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Which corpus was loaded, so a restart never loads it twice.
CREATE TABLE corpus_loads (
    digest    TEXT PRIMARY KEY,
    loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- One full-text index over everything searchable, written by the store (store/searchindex.go)
-- whenever what it indexes changes. The rowid encodes what a row is (id * 8 + kind code), so a
-- row can be replaced without a scan. 'tags' holds facet tokens (kblock, s12, a34, i3, r7,
-- y2025, p-newsweek...) so filters are index lookups, not scans. Porter stemming over unicode61
-- without diacritics: "guarantee" finds "guarantees" and "Elysee" finds "Élysée".
CREATE VIRTUAL TABLE search USING fts5 (
    kind UNINDEXED,
    ref UNINDEXED,
    title,
    body,
    tags,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- +goose Down
DROP TABLE search;
DROP TABLE corpus_loads;
DROP TABLE site_meta;
DROP TABLE events;
DROP TABLE precedent_mentions;
DROP TABLE precedent_facts;
DROP TABLE precedents;
DROP TABLE position_claims;
DROP TABLE positions;
DROP TABLE citations;
DROP TABLE claim_issues;
DROP TABLE claims;
DROP TABLE issues;
DROP TABLE actor_roles;
DROP TABLE actor_aliases;
DROP TABLE actors;
DROP TABLE block_revisions;
DROP TABLE blocks;
DROP TABLE source_authors;
DROP TABLE sources;

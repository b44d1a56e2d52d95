-- +goose Up
-- A source's text as it stood after each save: which block, at which revision, in which
-- place. Block revisions record a block's words and number but not where it stood or
-- which blocks stood around it, so without this an old revision could only be shown among
-- today's neighbours. Edition n of a source is its text after its n-th save; each row is
-- one block of it. A source saved before this migration gets one edition, its current text:
-- what came before is not known.
CREATE TABLE source_editions (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    edition   INTEGER NOT NULL CHECK (edition > 0),
    position  INTEGER NOT NULL CHECK (position > 0),
    block_id  INTEGER NOT NULL REFERENCES blocks (id) ON DELETE CASCADE,
    rev       INTEGER NOT NULL,
    PRIMARY KEY (source_id, edition, position),
    FOREIGN KEY (block_id, rev) REFERENCES block_revisions (block_id, rev)
) WITHOUT ROWID;
CREATE INDEX source_editions_block ON source_editions (block_id, rev);
INSERT INTO source_editions (source_id, edition, position, block_id, rev)
SELECT source_id, 1, position, id, rev FROM blocks WHERE position IS NOT NULL;

-- The words an edit changed, so the audit log can show a word diff: the text before and
-- after (a claim's statement, a source's whole text). NULL for entries written before this
-- migration and for changes that are not text edits.
ALTER TABLE audit_log ADD COLUMN old_text TEXT;
ALTER TABLE audit_log ADD COLUMN new_text TEXT;
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose Down
DROP INDEX audit_log_at;
ALTER TABLE audit_log DROP COLUMN new_text;
ALTER TABLE audit_log DROP COLUMN old_text;
DROP TABLE source_editions;

-- +goose Up
-- A stance is only as strong as its evidence. Each claim now says how directly it shows its
-- holder's stance: in the holder's own words, as a third party's report (and whose), or as
-- an author's reading. A claim already in the database is graded from its shape, never more
-- strongly than that shape shows: the speaker's own stance is own words; a named speaker on
-- someone else's stance is a report; the author on someone's stance is a reading. An editor
-- can regrade any of them.
ALTER TABLE claims ADD COLUMN evidence TEXT NOT NULL DEFAULT 'inferred'
    CHECK (evidence IN ('own-words', 'reported', 'inferred'));
ALTER TABLE claims ADD COLUMN reported_by INTEGER REFERENCES actors (id);
UPDATE claims SET evidence = CASE
    WHEN speaker_id IS NOT NULL AND (holder_id IS NULL OR holder_id = speaker_id) THEN 'own-words'
    WHEN speaker_id IS NOT NULL THEN 'reported'
    ELSE 'inferred' END;
UPDATE claims SET reported_by = speaker_id WHERE evidence = 'reported';

-- Positions are derived from claims: an actor's position on an issue is what the claims
-- whose stance it is (the holder's, else the speaker's) say, weighed by their grade. What
-- an editor adds is kept apart: a summary, and a stance that overrides the derived one,
-- with the reason. The stance an editor chose by hand before this is not carried over as an
-- override (the audit log keeps it, under position.save); the summary is.
CREATE TABLE position_notes (
    actor_id        INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    issue_id        INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE,
    summary         TEXT NOT NULL DEFAULT '',
    override_stance TEXT CHECK (override_stance IN ('for', 'against', 'conditional', 'mixed', 'neutral')),
    override_reason TEXT NOT NULL DEFAULT '',
    CHECK ((override_stance IS NULL) = (override_reason = '')),
    CHECK (summary <> '' OR override_stance IS NOT NULL),
    PRIMARY KEY (actor_id, issue_id)
) WITHOUT ROWID;
INSERT INTO position_notes (actor_id, issue_id, summary) SELECT actor_id, issue_id, summary FROM positions;
DROP TABLE position_claims;
DROP TABLE positions;

-- Each stance a published claim takes, as the stance of its actor, with its grade.
CREATE VIEW stances AS
SELECT coalesce(c.holder_id, c.speaker_id) AS actor_id, ci.issue_id, c.id AS claim_id, c.evidence, ci.stance
FROM claims c
JOIN claim_issues ci ON ci.claim_id = c.id
JOIN sources s ON s.id = c.source_id AND s.status = 'published'
WHERE coalesce(c.holder_id, c.speaker_id) IS NOT NULL;

-- The positions there are: every actor and issue some published claim takes a stance on,
-- and every one an editor has set a stance on.
CREATE VIEW positions AS
SELECT actor_id, issue_id FROM stances
UNION
SELECT actor_id, issue_id FROM position_notes WHERE override_stance IS NOT NULL;

-- Where a split issue's old address leads.
CREATE TABLE issue_aliases (
    slug     TEXT PRIMARY KEY CHECK (slug <> ''),
    issue_id INTEGER NOT NULL REFERENCES issues (id) ON DELETE CASCADE
) WITHOUT ROWID;

-- +goose Down
DROP TABLE issue_aliases;
DROP VIEW positions;
DROP VIEW stances;
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
INSERT INTO positions (actor_id, issue_id, stance, summary)
SELECT actor_id, issue_id, coalesce(override_stance, 'mixed'), coalesce(nullif(summary, ''), override_reason) FROM position_notes;
DROP TABLE position_notes;
ALTER TABLE claims DROP COLUMN reported_by;
ALTER TABLE claims DROP COLUMN evidence;

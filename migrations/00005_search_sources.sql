-- +goose Up
-- Sources join the search index (kind code 6; see store/searchindex.go), so a researcher finds
-- an article by its title, subtitle, publisher or authors. This is that file's statement as
-- of this migration, run once for the sources of a database made before it.
INSERT INTO search (rowid, kind, ref, title, body, tags)
SELECT so.id * 8 + 6, 'source', so.id, so.title,
    trim(so.subtitle || ' ' || so.publisher || ' ' || coalesce((SELECT group_concat(name, ' ') FROM
        (SELECT name FROM source_authors WHERE source_id = so.id ORDER BY position)), '')),
    'ksource s' || so.id
    || ' p' || coalesce(nullif(lower(replace(so.publisher, ' ', '')), ''), 'unknown')
    || ' y' || coalesce(nullif(substr(so.published, 1, 4), ''), 'unknown')
FROM sources so WHERE so.status = 'published';

-- The index's vocabulary, read by the store to suggest a correction for a word that is in no
-- row ("memorandom" → "memorandum"), and one row that spells each term as a reader would
-- ("guarante" → "guarantee"). fts5vocab reads the index itself: nothing to keep in step.
CREATE VIRTUAL TABLE search_vocab USING fts5vocab (search, col);
CREATE VIRTUAL TABLE search_vocab_instance USING fts5vocab (search, instance);

-- +goose Down
DROP TABLE search_vocab_instance;
DROP TABLE search_vocab;
DELETE FROM search WHERE rowid % 8 = 6;

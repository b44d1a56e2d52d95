-- +goose Up
-- Paragraph numbers, the locator a citation gives ("para. 4"). They count only the citable
-- paragraphs of a source's text, body paragraphs and blockquotes, in order: headings,
-- captions and footnotes are not numbered (a footnote is cited by its label, "n. 5"), so a
-- heading does not shift the numbers. See store/paragraphs.go.
--
-- A number is part of a block revision, like its words: block_revisions.paragraph is the
-- number the block had while that revision was current. When an edit moves a block's
-- number (a paragraph inserted above it) without touching its words, the block gets a new
-- revision with the same words and the new number, so "revision N" always names one text
-- under one number and a citation of it keeps the number its reader saw.
-- blocks.paragraph is the current revision's number, kept for reads as blocks.text is;
-- NULL for a block that is not numbered or has been removed from the text.
ALTER TABLE blocks ADD COLUMN paragraph INTEGER CHECK (paragraph > 0);
ALTER TABLE block_revisions ADD COLUMN paragraph INTEGER CHECK (paragraph > 0);

UPDATE blocks SET paragraph = (
    SELECT count(*) FROM blocks p
    WHERE p.source_id = blocks.source_id AND p.position <= blocks.position
      AND p.kind IN ('paragraph', 'blockquote'))
WHERE position IS NOT NULL AND kind IN ('paragraph', 'blockquote');

-- The numbers earlier revisions had were never recorded; the current one is the only one
-- known, so every revision of a block takes it. A removed block's number is unknown.
UPDATE block_revisions SET paragraph = (SELECT paragraph FROM blocks WHERE id = block_revisions.block_id);

-- The blocks update above touched every source's text_version (migration 00004's triggers
-- set it to version + 1, the version a write commits as): commit as that version too, or
-- the next write would reuse it and a kept rendering of the old numbers would look current.
UPDATE site_meta SET version = version + 1, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = 1;

-- +goose Down
ALTER TABLE block_revisions DROP COLUMN paragraph;
ALTER TABLE blocks DROP COLUMN paragraph;

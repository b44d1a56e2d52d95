-- +goose Up
-- A source's text_version is the data version of the last write that changed anything its
-- annotated text shows: its blocks, their citations, its claims with their speakers'
-- names and their stances' issues, and its authors (who speak when a claim names no
-- speaker). The web layer keeps each source's rendered text by it, so a write elsewhere
-- leaves that rendering good: a fragment cache keyed by the record's version, as Rails
-- keys fragments by updated_at and touches a parent when a child changes.
--
-- The triggers do the touching, so no write path can forget it. Every write runs in one
-- transaction that ends by adding one to site_meta.version (store.inTx), so version + 1,
-- read inside it, is the version the write commits as.
ALTER TABLE sources ADD COLUMN text_version INTEGER NOT NULL DEFAULT 0;
UPDATE sources SET text_version = (SELECT version FROM site_meta WHERE id = 1);

-- +goose StatementBegin
CREATE TRIGGER blocks_touch_insert AFTER INSERT ON blocks BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER source_authors_touch_insert AFTER INSERT ON source_authors BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claims_touch_insert AFTER INSERT ON claims BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER citations_touch_insert AFTER INSERT ON citations BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM blocks WHERE id IN (NEW.block_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claim_issues_touch_insert AFTER INSERT ON claim_issues BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM claims WHERE id IN (NEW.claim_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER blocks_touch_update AFTER UPDATE ON blocks BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id, NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER source_authors_touch_update AFTER UPDATE ON source_authors BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id, NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claims_touch_update AFTER UPDATE ON claims BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id, NEW.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER citations_touch_update AFTER UPDATE ON citations BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM blocks WHERE id IN (OLD.block_id, NEW.block_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claim_issues_touch_update AFTER UPDATE ON claim_issues BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM claims WHERE id IN (OLD.claim_id, NEW.claim_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER blocks_touch_delete AFTER DELETE ON blocks BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER source_authors_touch_delete AFTER DELETE ON source_authors BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claims_touch_delete AFTER DELETE ON claims BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (OLD.source_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER citations_touch_delete AFTER DELETE ON citations BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM blocks WHERE id IN (OLD.block_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER claim_issues_touch_delete AFTER DELETE ON claim_issues BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM claims WHERE id IN (OLD.claim_id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER actors_touch_update AFTER UPDATE OF slug, name, kind ON actors BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT source_id FROM claims WHERE speaker_id IN (OLD.id, NEW.id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER issues_touch_update AFTER UPDATE OF slug, name, position ON issues BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id IN (SELECT c.source_id FROM claims c JOIN claim_issues ci ON ci.claim_id = c.id WHERE ci.issue_id IN (OLD.id, NEW.id));
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER sources_touch_insert AFTER INSERT ON sources BEGIN
    UPDATE sources SET text_version = (SELECT version + 1 FROM site_meta WHERE id = 1) WHERE id = NEW.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER blocks_touch_insert;
DROP TRIGGER source_authors_touch_insert;
DROP TRIGGER claims_touch_insert;
DROP TRIGGER citations_touch_insert;
DROP TRIGGER claim_issues_touch_insert;
DROP TRIGGER blocks_touch_update;
DROP TRIGGER source_authors_touch_update;
DROP TRIGGER claims_touch_update;
DROP TRIGGER citations_touch_update;
DROP TRIGGER claim_issues_touch_update;
DROP TRIGGER blocks_touch_delete;
DROP TRIGGER source_authors_touch_delete;
DROP TRIGGER claims_touch_delete;
DROP TRIGGER citations_touch_delete;
DROP TRIGGER claim_issues_touch_delete;
DROP TRIGGER actors_touch_update;
DROP TRIGGER issues_touch_update;
DROP TRIGGER sources_touch_insert;
ALTER TABLE sources DROP COLUMN text_version;

-- +goose Up
-- A precedent's fact may carry the codebook value it supports on its aspect (store/vocab
-- Codebook: "defence-commitment" on the obligation, "ratified-treaty" on the legal form...),
-- so a cell of the comparison is coded data that cites its passages. Empty: not coded.
ALTER TABLE precedent_facts ADD COLUMN code TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE precedent_facts DROP COLUMN code;

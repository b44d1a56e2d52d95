-- +goose Up
-- Ending an account's sessions. Sessions are rows scs writes with the user id inside
-- gob-encoded data, which SQL cannot select by user; so each session records the account's
-- epoch when it was made, and the epoch goes up when the account is disabled or its password
-- set. A session whose epoch is not the account's is refused on its next request.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN session_epoch;

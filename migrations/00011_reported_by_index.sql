-- +goose Up
-- Whether an actor is public asks whether any published claim names it as speaker, holder or
-- reporter; without an index on the reporter, SQLite cannot use the other two either and
-- reads every claim for each actor.
CREATE INDEX claims_reported_by ON claims (reported_by);

-- +goose Down
DROP INDEX claims_reported_by;

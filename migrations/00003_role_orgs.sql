-- +goose Up
-- An organisation's or state's page lists the roles held within it: by org_id.
CREATE INDEX actor_roles_org ON actor_roles (org_id);

-- +goose Down
DROP INDEX actor_roles_org;

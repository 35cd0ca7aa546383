-- Environments separate sandbox and production data; every API key belongs to one.
CREATE TABLE environments (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environments(id),
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    hash            BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    last_used_at    TIMESTAMPTZ NULL,
    revoked_at      TIMESTAMPTZ NULL
);
CREATE INDEX ix_api_keys_environment ON api_keys(environment_id);

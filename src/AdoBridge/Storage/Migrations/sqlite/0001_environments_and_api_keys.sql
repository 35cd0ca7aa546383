-- Environments separate sandbox and production data; every API key belongs to one.
CREATE TABLE environments (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE api_keys (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environments(id),
    name            TEXT NOT NULL,
    role            TEXT NOT NULL,
    hash            BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    last_used_at    TEXT NULL,
    revoked_at      TEXT NULL
);
CREATE INDEX ix_api_keys_environment ON api_keys(environment_id);

-- Data-encryption keys, each wrapped (AES-256-GCM) by the master key; ciphertexts name the key that sealed them.
CREATE TABLE encryption_keys (
    id              TEXT NOT NULL PRIMARY KEY,
    master_key_id   TEXT NOT NULL,
    wrapped_key     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    retired_at      TEXT NULL
);

-- Apps (auth providers) managed through the admin API. Secret values live only in protected columns.
CREATE TABLE apps (
    name                TEXT NOT NULL PRIMARY KEY,
    type                TEXT NOT NULL,
    settings            TEXT NOT NULL,
    protected_secrets   TEXT NULL,
    is_sandbox          INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);

-- The admin console (/console): its accounts, the one-time setup links that create the first owner, an audit of what
-- admins did (also read to lock an account after repeated failed sign-ins), and the ASP.NET Core Data Protection key
-- ring, kept here so every instance reads the same keys and accepts the same session cookies.
CREATE TABLE console_users (
    id              TEXT NOT NULL PRIMARY KEY,
    user_name       TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    environment_id  TEXT NULL REFERENCES environments(id),
    created_at      TEXT NOT NULL,
    last_sign_in_at TEXT NULL
);
CREATE UNIQUE INDEX ix_console_users_name ON console_users(user_name);

CREATE TABLE console_setup_tokens (
    id          TEXT NOT NULL PRIMARY KEY,
    token_hash  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT NULL
);
CREATE UNIQUE INDEX ix_console_setup_tokens_hash ON console_setup_tokens(token_hash);

CREATE TABLE console_audit (
    id              TEXT NOT NULL PRIMARY KEY,
    created_at      TEXT NOT NULL,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    detail          TEXT NULL,
    remote_address  TEXT NULL
);
CREATE INDEX ix_console_audit_actor ON console_audit(actor, action, created_at);

CREATE TABLE data_protection_keys (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT NULL,
    xml           TEXT NOT NULL
);

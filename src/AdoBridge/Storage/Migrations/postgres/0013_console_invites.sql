-- Invitations to the admin console: an owner invites someone as owner, or as admin of one environment; the link works
-- once, expires, and can be revoked. Only a SHA-256 hash of its token is stored.
CREATE TABLE console_invites (
    id              TEXT NOT NULL PRIMARY KEY,
    token_hash      BYTEA NOT NULL,
    role            TEXT NOT NULL,
    environment_id  TEXT NULL REFERENCES environments(id),
    note            TEXT NULL,
    invited_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ NULL,
    used_by         TEXT NULL,
    revoked_at      TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX ix_console_invites_hash ON console_invites(token_hash);

-- End-user connections to Azure DevOps. Tokens and PATs live only in sealed columns.
CREATE TABLE connections (
    id                      TEXT NOT NULL PRIMARY KEY,
    environment_id          TEXT NOT NULL REFERENCES environments(id),
    end_user_id             TEXT NOT NULL,
    end_user_display_name   TEXT NULL,
    app_name                TEXT NOT NULL,
    auth_type               TEXT NOT NULL,
    status                  TEXT NOT NULL,
    status_reason           TEXT NULL,
    status_error_code       TEXT NULL,
    organizations           TEXT NOT NULL,
    server_url              TEXT NULL,
    identity_id             TEXT NULL,
    identity_name           TEXT NULL,
    identity_email          TEXT NULL,
    tenant_id               TEXT NULL,
    scopes                  TEXT NULL,
    access_token            TEXT NULL,
    access_token_expires_at TIMESTAMPTZ NULL,
    refresh_token           TEXT NULL,
    last_refreshed_at       TIMESTAMPTZ NULL,
    next_refresh_at         TIMESTAMPTZ NULL,
    refresh_failures        INTEGER NOT NULL DEFAULT 0,
    refresh_lease_until     TIMESTAMPTZ NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL,
    version                 INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ix_connections_environment ON connections(environment_id, id);
CREATE INDEX ix_connections_end_user ON connections(environment_id, end_user_id);
CREATE INDEX ix_connections_refresh ON connections(next_refresh_at) WHERE next_refresh_at IS NOT NULL;

-- A connect link handed to one end user: short-lived, single use, bound to the first browser that opens it.
CREATE TABLE connect_sessions (
    id                      TEXT NOT NULL PRIMARY KEY,
    environment_id          TEXT NOT NULL REFERENCES environments(id),
    token_hash              BYTEA NOT NULL,
    end_user_id             TEXT NOT NULL,
    end_user_display_name   TEXT NULL,
    app_name                TEXT NULL,
    return_url              TEXT NULL,
    reconnect_connection_id TEXT NULL,
    status                  TEXT NOT NULL,
    browser_hash            BYTEA NULL,
    oauth_state_hash        BYTEA NULL,
    flow                    TEXT NULL,
    connection_id           TEXT NULL,
    error_code              TEXT NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    expires_at              TIMESTAMPTZ NOT NULL,
    completed_at            TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX ix_connect_sessions_token ON connect_sessions(token_hash);
CREATE UNIQUE INDEX ix_connect_sessions_state ON connect_sessions(oauth_state_hash) WHERE oauth_state_hash IS NOT NULL;

-- Events for the product: lifecycle events now, Azure DevOps events later. Delivered as webhooks.
CREATE TABLE events (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL,
    type            TEXT NOT NULL,
    connection_id   TEXT NULL,
    payload         TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_events_environment ON events(environment_id, id);
CREATE INDEX ix_events_connection ON events(connection_id, id);

-- Who took a connection's access token, and when.
CREATE TABLE audit_log (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL,
    action          TEXT NOT NULL,
    connection_id   TEXT NULL,
    actor           TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_audit_log_connection ON audit_log(connection_id, id);

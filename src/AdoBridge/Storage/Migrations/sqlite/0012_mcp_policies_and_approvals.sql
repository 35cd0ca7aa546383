-- MCP policies and approvals. A policy is the operator's limits for one caller, keyed by subject (`key:<api key id>`, or
-- `client:<OAuth client id>`): allowed toolsets, read-only, allowed organisations (or Server collections) and projects
-- (JSON arrays; NULL allows all), and whether destructive tools need a person's approval. An approval is one destructive
-- call waiting for, or given, that approval: bound to the subject, connection, tool and a hash of the arguments, used once.
CREATE TABLE mcp_policies (
    subject             TEXT NOT NULL PRIMARY KEY,
    environment_id      TEXT NOT NULL,
    toolsets            TEXT NULL,
    read_only           INTEGER NOT NULL,
    organizations       TEXT NULL,
    projects            TEXT NULL,
    approve_destructive INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX ix_mcp_policies_environment ON mcp_policies(environment_id, subject);

CREATE TABLE mcp_approvals (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL,
    subject         TEXT NOT NULL,
    connection_id   TEXT NOT NULL,
    organization    TEXT NULL,
    tool            TEXT NOT NULL,
    arguments       TEXT NOT NULL,
    arguments_hash  TEXT NOT NULL,
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    decided_at      TEXT NULL,
    decided_by      TEXT NULL,
    reason          TEXT NULL,
    used_at         TEXT NULL
);
CREATE INDEX ix_mcp_approvals_environment ON mcp_approvals(environment_id, id);
CREATE INDEX ix_mcp_approvals_expires ON mcp_approvals(expires_at);

-- The approval a recorded tool call asked for (pending) or used.
ALTER TABLE mcp_calls ADD COLUMN approval_id TEXT NULL;

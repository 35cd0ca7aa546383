-- The MCP audit: one row per tool call (who, which connection and organisation, the tool, its arguments with secrets
-- redacted, the outcome code, the last Azure DevOps status, how long it took). Deleted by the event log's retention.
CREATE TABLE mcp_calls (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL,
    key_id          TEXT NOT NULL,
    connection_id   TEXT NULL,
    organization    TEXT NULL,
    tool            TEXT NOT NULL,
    arguments       TEXT NOT NULL,
    outcome         TEXT NOT NULL,
    is_error        BOOLEAN NOT NULL,
    azure_status    INTEGER NULL,
    azure_calls     INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_mcp_calls_environment ON mcp_calls(environment_id, id);
CREATE INDEX ix_mcp_calls_created ON mcp_calls(created_at);

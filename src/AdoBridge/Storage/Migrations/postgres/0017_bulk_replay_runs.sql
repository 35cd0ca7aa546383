-- Bulk replays as durable runs (issue 19): the filter and the newest event counted, how far the run got (the last event
-- replayed, and how many), its state, who started it, and a lease so that one instance at a time works it and another
-- takes it over when that one stops answering.
CREATE TABLE bulk_replay_runs (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environments(id),
    filter          TEXT NOT NULL,
    through         TEXT NULL,
    cursor          TEXT NULL,
    total           INTEGER NOT NULL,
    done            INTEGER NOT NULL,
    state           TEXT NOT NULL,
    started_by      TEXT NOT NULL,
    error           TEXT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    lease_owner     TEXT NULL,
    lease_until     TIMESTAMPTZ NULL
);
CREATE INDEX ix_bulk_replay_runs_environment ON bulk_replay_runs(environment_id, id);
CREATE INDEX ix_bulk_replay_runs_running ON bulk_replay_runs(id) WHERE state = 'running';

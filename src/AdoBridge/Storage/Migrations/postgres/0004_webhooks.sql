-- Events from Azure DevOps join the lifecycle events: where they came from, the raw payload, and whether the
-- dispatcher has fanned them out to webhook endpoints yet. The Azure DevOps event id makes retries land once.
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT 'adobridge';
ALTER TABLE events ADD COLUMN source_event_id TEXT NULL;
ALTER TABLE events ADD COLUMN source_event_type TEXT NULL;
ALTER TABLE events ADD COLUMN subscription_id TEXT NULL;
ALTER TABLE events ADD COLUMN organization TEXT NULL;
ALTER TABLE events ADD COLUMN project TEXT NULL;
ALTER TABLE events ADD COLUMN repository TEXT NULL;
ALTER TABLE events ADD COLUMN raw_payload TEXT NULL;
ALTER TABLE events ADD COLUMN dispatched_at TIMESTAMPTZ NULL;
UPDATE events SET dispatched_at = created_at;
CREATE UNIQUE INDEX ux_events_source_event ON events(environment_id, source_event_id) WHERE source_event_id IS NOT NULL;
CREATE INDEX ix_events_undispatched ON events(id) WHERE dispatched_at IS NULL;
CREATE INDEX ix_events_environment_type ON events(environment_id, type, id);

-- What the product asked for on a connection's project: one row here, one Azure DevOps subscription per event type below.
CREATE TABLE subscriptions (
    id                          TEXT NOT NULL PRIMARY KEY,
    environment_id              TEXT NOT NULL REFERENCES environments(id),
    connection_id               TEXT NOT NULL,
    organization                TEXT NOT NULL,
    project_id                  TEXT NOT NULL,
    project_name                TEXT NOT NULL,
    repository_id               TEXT NULL,
    repository_name             TEXT NULL,
    status                      TEXT NOT NULL,
    status_reason               TEXT NULL,
    events_may_be_missed_since  TIMESTAMPTZ NULL,
    last_checked_at             TIMESTAMPTZ NULL,
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_subscriptions_environment ON subscriptions(environment_id, id);
CREATE INDEX ix_subscriptions_connection ON subscriptions(connection_id, id);

-- One Azure DevOps service-hook subscription: its own ingest path (kept only as a hash) and its own secret
-- (a hash for constant-time checks at ingest, sealed for re-sending when the subscription is repaired).
CREATE TABLE service_hooks (
    id                      TEXT NOT NULL PRIMARY KEY,
    subscription_id         TEXT NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    environment_id          TEXT NOT NULL,
    connection_id           TEXT NOT NULL,
    event_type              TEXT NOT NULL,
    resource_version        TEXT NOT NULL,
    ado_subscription_id     TEXT NULL,
    ado_status              TEXT NULL,
    path_hash               BYTEA NOT NULL,
    secret_hash             BYTEA NOT NULL,
    secret                  TEXT NOT NULL,
    last_event_at           TIMESTAMPTZ NULL,
    last_checked_at         TIMESTAMPTZ NULL,
    created_at              TIMESTAMPTZ NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_service_hooks_path ON service_hooks(path_hash);
CREATE INDEX ix_service_hooks_subscription ON service_hooks(subscription_id);

-- Where the product wants events: a URL, event filters, and a signing secret (sealed; the previous one stays
-- valid until previous_secret_expires_at after a rotation). The circuit columns are shared by all instances.
CREATE TABLE webhook_endpoints (
    id                          TEXT NOT NULL PRIMARY KEY,
    environment_id              TEXT NOT NULL REFERENCES environments(id),
    url                         TEXT NOT NULL,
    description                 TEXT NULL,
    event_filters               TEXT NOT NULL,
    status                      TEXT NOT NULL,
    secret                      TEXT NOT NULL,
    previous_secret             TEXT NULL,
    previous_secret_expires_at  TIMESTAMPTZ NULL,
    consecutive_failures        INTEGER NOT NULL DEFAULT 0,
    circuit_open_until          TIMESTAMPTZ NULL,
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_webhook_endpoints_environment ON webhook_endpoints(environment_id, id);

-- One event owed to one endpoint. A lease (owner, until) keeps two instances from sending the same attempt.
CREATE TABLE deliveries (
    id                  TEXT NOT NULL PRIMARY KEY,
    environment_id      TEXT NOT NULL,
    event_id            TEXT NOT NULL,
    endpoint_id         TEXT NOT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ NOT NULL,
    lease_owner         TEXT NULL,
    lease_until         TIMESTAMPTZ NULL,
    last_status_code    INTEGER NULL,
    last_error          TEXT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    completed_at        TIMESTAMPTZ NULL
);
CREATE UNIQUE INDEX ux_deliveries_event_endpoint ON deliveries(event_id, endpoint_id);
CREATE INDEX ix_deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_deliveries_endpoint ON deliveries(endpoint_id, status, id);

-- Every attempt and the answer it got (status, a short excerpt of the body), for the event log.
CREATE TABLE delivery_attempts (
    id              TEXT NOT NULL PRIMARY KEY,
    delivery_id     TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    endpoint_id     TEXT NOT NULL,
    attempt         INTEGER NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    duration_ms     INTEGER NOT NULL,
    status_code     INTEGER NULL,
    outcome         TEXT NOT NULL,
    error           TEXT NULL,
    response_body   TEXT NULL
);
CREATE INDEX ix_delivery_attempts_delivery ON delivery_attempts(delivery_id, attempt);
CREATE INDEX ix_delivery_attempts_event ON delivery_attempts(event_id, id);

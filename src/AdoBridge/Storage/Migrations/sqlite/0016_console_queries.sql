-- The admin console's list pages at scale, second pass (issue 19).
-- The organisations of each connection, one row each, in lower case: the console's organisation filter.
CREATE TABLE connection_organizations (
    environment_id  TEXT NOT NULL,
    organization    TEXT NOT NULL,
    connection_id   TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    PRIMARY KEY (environment_id, organization, connection_id)
);
CREATE INDEX ix_connection_organizations_connection ON connection_organizations(connection_id);
INSERT OR IGNORE INTO connection_organizations (environment_id, organization, connection_id)
    SELECT c.environment_id, lower(o.value), c.id FROM connections c, json_each(c.organizations) o WHERE o.type = 'text';
-- Connection search: the start of an end-user id, display name or e-mail, in any case (ids use ix_connections_environment).
CREATE INDEX ix_connections_search_end_user ON connections(environment_id, lower(end_user_id));
CREATE INDEX ix_connections_search_name ON connections(environment_id, lower(end_user_display_name));
CREATE INDEX ix_connections_search_email ON connections(environment_id, lower(identity_email));
-- Events with a dead delivery, and with one being retried: few, so status=dead and status=failed start from these.
CREATE INDEX ix_deliveries_dead ON deliveries(environment_id, event_id) WHERE status = 'dead';
CREATE INDEX ix_deliveries_retrying ON deliveries(environment_id, event_id) WHERE status = 'pending' AND attempts > 0;
-- An endpoint's health read from the index alone: its attempts in the window and how each ended.
DROP INDEX ix_delivery_attempts_endpoint_started;
CREATE INDEX ix_delivery_attempts_endpoint_started ON delivery_attempts(endpoint_id, started_at, outcome);
-- The overview's PATs expiring soon.
CREATE INDEX ix_connections_pat_expiry ON connections(access_token_expires_at) WHERE auth_type = 'pat';
-- The event list's index also holds created_at, so a time filter (which bounds the id as well) counts its events from
-- the index alone, without reading each row.
DROP INDEX ix_events_environment;
CREATE INDEX ix_events_environment ON events(environment_id, id, created_at);

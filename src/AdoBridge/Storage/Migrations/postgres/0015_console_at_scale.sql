-- The admin console at scale (issue 19: 100,000 connections, 1,000,000 events, 2,000,000 attempts).
-- Connections filtered by status, in keyset pages; the overview's count and list of those needing re-authorisation.
CREATE INDEX ix_connections_environment_status ON connections(environment_id, status, id);
CREATE INDEX ix_connections_status_updated ON connections(status, updated_at);
-- The overview's events per minute and in the last hour.
CREATE INDEX ix_events_created ON events(created_at);
-- The overview's oldest item of the delivery backlog.
CREATE INDEX ix_deliveries_pending_created ON deliveries(created_at) WHERE status = 'pending';
-- An endpoint's health: its attempts in the last 24 hours and its last attempt.
CREATE INDEX ix_delivery_attempts_endpoint_started ON delivery_attempts(endpoint_id, started_at);

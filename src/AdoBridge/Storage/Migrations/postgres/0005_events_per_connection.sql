-- An Azure DevOps event that reaches the hooks of several connections becomes one AdoBridge event per connection, so
-- retries are recognised per connection (the same event id at the same connection's hooks), not per environment.
-- Existing rows were unique per environment, so they are unique per connection too: nothing is dropped.
DROP INDEX ux_events_source_event;
CREATE UNIQUE INDEX ux_events_connection_source_event ON events(connection_id, source_event_id) WHERE source_event_id IS NOT NULL;

-- The collection (organisation) id Azure DevOps names in each payload's resourceContainers, so ingest can check that a
-- payload belongs to the subscription. Null for subscriptions made before this: the next health check learns it.
ALTER TABLE subscriptions ADD COLUMN collection_id TEXT NULL;

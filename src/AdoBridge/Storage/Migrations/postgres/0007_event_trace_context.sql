-- The W3C traceparent of the ingest request that stored the event, so its deliveries continue the same trace (and the
-- product receives a traceparent it can join). Null when telemetry is off, for lifecycle events, and for older rows.
ALTER TABLE events ADD COLUMN trace_parent TEXT NULL;

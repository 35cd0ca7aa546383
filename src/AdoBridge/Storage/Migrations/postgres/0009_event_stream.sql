-- The event stream (GET /v1/events/stream): every stored event and every replay gets a position, `seq`, in the order
-- they committed, so a client resuming from the last position it saw misses nothing and sees nothing twice. Event ids
-- cannot serve: they are made before the commit, so two writers can commit them out of order.
-- On PostgreSQL a sequence value taken at insert is not in commit order either, so rows are stored with seq NULL and
-- numbered after they committed by one sequencer at a time (EventStreamSequencer, holding the counter row's lock):
-- each numbering commits before the next begins, so positions become visible in order.
CREATE TABLE event_sequence (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    value   BIGINT NOT NULL
);

ALTER TABLE events ADD COLUMN seq BIGINT NULL;
UPDATE events SET seq = n.rn FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM events) AS n WHERE events.id = n.id;

-- A replay of an event (POST /v1/events/{id}/replay) shown to running streams: the event again, flagged as a replay.
CREATE TABLE event_replays (
    id              TEXT NOT NULL PRIMARY KEY,
    event_id        TEXT NOT NULL,
    environment_id  TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    seq             BIGINT NULL
);

INSERT INTO event_sequence (id, value) VALUES (1, (SELECT COUNT(*) FROM events));
CREATE UNIQUE INDEX ux_events_seq ON events(seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_events_environment_seq ON events(environment_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_events_unsequenced ON events(id) WHERE seq IS NULL;
CREATE UNIQUE INDEX ux_event_replays_seq ON event_replays(seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_event_replays_environment_seq ON event_replays(environment_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_event_replays_unsequenced ON event_replays(id) WHERE seq IS NULL;
CREATE INDEX ix_event_replays_event ON event_replays(event_id);

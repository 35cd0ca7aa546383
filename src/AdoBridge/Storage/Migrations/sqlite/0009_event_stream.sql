-- The event stream (GET /v1/events/stream): every stored event and every replay gets a position, `seq`, in the order
-- they committed, so a client resuming from the last position it saw misses nothing and sees nothing twice. Event ids
-- cannot serve: they are made before the commit, so two writers can commit them out of order.
-- SQLite has one writer at a time, so a number taken inside the writing transaction is already in commit order: the
-- triggers below take it from one counter row (not MAX(seq), which would go back after retention emptied the table).
CREATE TABLE event_sequence (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    value   INTEGER NOT NULL
);

ALTER TABLE events ADD COLUMN seq INTEGER NULL;
UPDATE events SET seq = n.rn FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn FROM events) AS n WHERE events.id = n.id;

-- A replay of an event (POST /v1/events/{id}/replay) shown to running streams: the event again, flagged as a replay.
CREATE TABLE event_replays (
    id              TEXT NOT NULL PRIMARY KEY,
    event_id        TEXT NOT NULL,
    environment_id  TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    seq             INTEGER NULL
);

INSERT INTO event_sequence (id, value) VALUES (1, (SELECT COUNT(*) FROM events));
CREATE UNIQUE INDEX ux_events_seq ON events(seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_events_environment_seq ON events(environment_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_events_unsequenced ON events(id) WHERE seq IS NULL;
CREATE UNIQUE INDEX ux_event_replays_seq ON event_replays(seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_event_replays_environment_seq ON event_replays(environment_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ix_event_replays_unsequenced ON event_replays(id) WHERE seq IS NULL;
CREATE INDEX ix_event_replays_event ON event_replays(event_id);

CREATE TRIGGER tr_events_seq AFTER INSERT ON events WHEN NEW.seq IS NULL
BEGIN
    UPDATE event_sequence SET value = value + 1 WHERE id = 1;
    UPDATE events SET seq = (SELECT value FROM event_sequence WHERE id = 1) WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER tr_event_replays_seq AFTER INSERT ON event_replays WHEN NEW.seq IS NULL
BEGIN
    UPDATE event_sequence SET value = value + 1 WHERE id = 1;
    UPDATE event_replays SET seq = (SELECT value FROM event_sequence WHERE id = 1) WHERE rowid = NEW.rowid;
END;

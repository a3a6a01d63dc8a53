-- RunEngine.Data, SQLite, version 2: work claiming (leases on stories) and the run log.
--
-- SQLite adds one column per ALTER TABLE; added columns go after the existing ones, so the table's column order
-- stays the table map's order (Mapping/RunEngineTables.cs).
--   claimed_by        TEXT, the worker holding the lease; NULL when unclaimed.
--   lease_expires_at  TEXT "yyyy-MM-dd HH:mm:ss.FFFFFFF+00:00" like every timestamp: always UTC, with trailing
--                     fractional zeros (and a bare ".") trimmed. Text order is time order for this form: digits
--                     compare as digits, and the "+" that ends a shorter value sorts before "." and every digit,
--                     so "12:00:00+00:00" < "12:00:00.25+00:00" < "12:00:00.5+00:00". Claims compare it as text
--                     with the parameter @Now, which Microsoft.Data.Sqlite formats the same way.

ALTER TABLE $(Stories) ADD COLUMN claimed_by TEXT NULL CHECK (length(claimed_by) <= 200);

ALTER TABLE $(Stories) ADD COLUMN lease_expires_at TEXT NULL;

-- Claiming: "ready (or expired) stories of a run in position order".
CREATE INDEX "$(Prefix)ix_stories_claim" ON $(Stories) (run_id, status, position);

-- The append-only run log. seq (last, after the mapped columns) is SQLite's rowid, numbered by the database in the
-- order rows are written; AUTOINCREMENT never reuses a number, even after the newest rows were deleted, so reading a
-- run's events by seq is reading them in the order they were written.
-- No foreign keys to stories or cards: the log outlives the rows it mentions, and events may name ids of other tables.
CREATE TABLE $(RunLog) (
    id          TEXT    NOT NULL,
    run_id      TEXT    NOT NULL,
    story_id    TEXT    NULL,
    card_id     TEXT    NULL,
    kind        TEXT    NOT NULL CHECK (length(kind) <= 100),
    message     TEXT    NULL CHECK (length(message) <= 4000),
    worker      TEXT    NULL CHECK (length(worker) <= 200),
    occurred_at TEXT    NOT NULL,
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    CONSTRAINT "$(Prefix)uq_run_log_id" UNIQUE (id)
);

-- "Events of a run in order".
CREATE INDEX "$(Prefix)ix_run_log_run_seq" ON $(RunLog) (run_id, seq);

-- RunEngine.Data 002: work claiming and the run log (SQL Server).
--
-- Claims: a story being worked on records its worker and lease; both are NULL otherwise. They are added after the
-- existing columns, so the columns of the table map keep their relative order (seq, not in the map, sits between).
-- The claim statement looks for a run's Ready stories, or InProgress ones with an expired lease, in position order:
-- the index serves both seeks and the order, and lets READPAST skip locked rows without scanning the table.
-- One column per ADD: T-SQL dialects other than SQL Server's own (Babelfish for Aurora PostgreSQL, for one) reject a
-- list of columns in one ADD. The resulting table is the same as with the list this script first shipped with, so
-- databases already at version 2 are unaffected (scripts are not checksummed or compared once applied).
ALTER TABLE $(Stories) ADD claimed_by nvarchar(200) NULL;
GO

ALTER TABLE $(Stories) ADD lease_expires_at datetimeoffset(7) NULL;
GO

CREATE INDEX [IX_$(Prefix)stories_claim] ON $(Stories) (run_id, status, position);
GO

-- The run log: append-only, read per run in the order it was written (seq). Clustered on seq like stories and cards
-- (time-ordered ids still land at random places in a uniqueidentifier index). No foreign keys: entries outlive the
-- stories and cards they name, and may name ids of other tables.
CREATE TABLE $(RunLog) (
    id uniqueidentifier NOT NULL,
    run_id uniqueidentifier NOT NULL,
    story_id uniqueidentifier NULL,
    card_id uniqueidentifier NULL,
    kind nvarchar(100) NOT NULL,
    message nvarchar(4000) NULL,
    worker nvarchar(200) NULL,
    occurred_at datetimeoffset(7) NOT NULL,
    seq bigint IDENTITY(1, 1) NOT NULL,
    CONSTRAINT [PK_$(Prefix)run_log] PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT [UQ_$(Prefix)run_log_seq] UNIQUE CLUSTERED (seq)
);
GO

CREATE INDEX [IX_$(Prefix)run_log_run_id_seq] ON $(RunLog) (run_id, seq);
GO

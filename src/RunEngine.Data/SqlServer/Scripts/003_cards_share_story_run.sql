-- RunEngine.Data 003: a card and its story share a run, enforced by the database (SQL Server).
--
-- The cards' foreign key becomes composite, (run_id, story_id) -> stories (run_id, id), so a card can no longer name a
-- story of another run (before, such a card was missing from its run's reads and blocked the deletion of the story's
-- run). The composite key needs a unique key on stories (run_id, id); it is also the key shape a run-distributed
-- database needs (every key and reference carries the run). The cards' natural key becomes (run_id, story_id,
-- position): it backs the foreign key's look-up when stories are deleted (it leads with (run_id, story_id)) and a
-- run's deletes and reads (it leads with run_id), so the index on cards (run_id) alone goes: it is redundant, and an
-- optimizer with stale statistics may check each deleted story by reading the whole run's cards through it (seen on
-- PostgreSQL: 51.7 s instead of 113 ms for a 100,000-card run). (story_id, position) was already unique,
-- and run_id follows from story_id, so the wider key accepts and rejects exactly the same cards.
--
-- Existing cards whose run_id differs from their story's would make the new foreign key fail: the script stops
-- first, names how many, and changes nothing (EnsureSchemaAsync checks the same before it runs the script).
-- Locks: the check holds a shared table lock on cards (writers wait, readers do not) until the migration commits; each
-- ALTER holds a schema-modification lock on its table (readers wait too) until then. The index builds read stories
-- and cards once each.
-- One constraint per ALTER TABLE, valid in every T-SQL dialect; clustering stays on seq, the new keys are NONCLUSTERED.

DECLARE @mismatched bigint = (
    SELECT COUNT_BIG(*)
    FROM $(Cards) AS c WITH (TABLOCK, HOLDLOCK)
    INNER JOIN $(Stories) AS s ON s.id = c.story_id
    WHERE c.run_id <> s.run_id);
IF @mismatched > 0
BEGIN
    DECLARE @message nvarchar(2048) = CONCAT(
        N'RunEngine.Data schema script 003 cannot be applied: ', @mismatched,
        N' cards have a run_id that differs from their story''s run_id. Nothing was changed. ',
        N'Set each such card''s run_id to its story''s run_id (or delete those cards), then run the script again.');
    THROW 50000, @message, 1;
END;
GO

ALTER TABLE $(Stories) ADD CONSTRAINT [UQ_$(Prefix)stories_run_id_id] UNIQUE NONCLUSTERED (run_id, id);
GO

ALTER TABLE $(Cards) ADD CONSTRAINT [UQ_$(Prefix)cards_run_id_story_id_position] UNIQUE NONCLUSTERED (run_id, story_id, position);
GO

-- No cascade, as before: deleting a run removes its cards first. No WITH CHECK: checking the existing rows (and so a
-- trusted key) is already the default for a new constraint, and the plain form is the one every T-SQL dialect takes.
ALTER TABLE $(Cards) ADD CONSTRAINT [FK_$(Prefix)cards_run_id_story_id_stories]
    FOREIGN KEY (run_id, story_id) REFERENCES $(Stories) (run_id, id);
GO

ALTER TABLE $(Cards) DROP CONSTRAINT [FK_$(Prefix)cards_stories];
GO

ALTER TABLE $(Cards) DROP CONSTRAINT [UQ_$(Prefix)cards_story_id_position];
GO

DROP INDEX [IX_$(Prefix)cards_run_id] ON $(Cards);
GO

-- RunEngine.Data 001: stories and cards (SQL Server).
-- Column names and order follow the library's table maps; the library checks every row against the same limits
-- (title at most 400 characters, metadata well-formed JSON) before it is sent.
--
-- Ids and clustering: ids are client-generated UUIDv7 (time-ordered), but SQL Server sorts uniqueidentifier by its
-- last 6 bytes first, so even time-ordered ids would land at random places in a clustered index and split pages on
-- every batch. Each table therefore clusters on an identity column, seq, which only ever appends at the end, and keeps
-- its primary key on id as a NONCLUSTERED index for lookups and foreign keys. seq is not part of the table map: bulk
-- copies map columns by name and leave it to the server.
--
-- metadata has no CHECK (ISJSON(metadata) = 1): without its SQL Server 2022 type argument, ISJSON accepts only objects
-- and arrays, while the library (like the other providers) accepts any JSON value and validates it before sending.

CREATE TABLE $(Stories) (
    id uniqueidentifier NOT NULL,
    run_id uniqueidentifier NOT NULL,
    position int NOT NULL,
    title nvarchar(400) NOT NULL,
    body nvarchar(max) NULL,
    status smallint NOT NULL,
    version int NOT NULL,
    created_at datetimeoffset(7) NOT NULL,
    updated_at datetimeoffset(7) NOT NULL,
    metadata nvarchar(max) NULL,
    seq bigint IDENTITY(1, 1) NOT NULL,
    CONSTRAINT [PK_$(Prefix)stories] PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT [UQ_$(Prefix)stories_seq] UNIQUE CLUSTERED (seq),
    CONSTRAINT [UQ_$(Prefix)stories_run_id_position] UNIQUE (run_id, position)
);
GO

CREATE TABLE $(Cards) (
    id uniqueidentifier NOT NULL,
    run_id uniqueidentifier NOT NULL,
    story_id uniqueidentifier NOT NULL,
    position int NOT NULL,
    title nvarchar(400) NOT NULL,
    description nvarchar(max) NULL,
    status smallint NOT NULL,
    version int NOT NULL,
    created_at datetimeoffset(7) NOT NULL,
    updated_at datetimeoffset(7) NOT NULL,
    metadata nvarchar(max) NULL,
    seq bigint IDENTITY(1, 1) NOT NULL,
    CONSTRAINT [PK_$(Prefix)cards] PRIMARY KEY NONCLUSTERED (id),
    CONSTRAINT [UQ_$(Prefix)cards_seq] UNIQUE CLUSTERED (seq),
    CONSTRAINT [UQ_$(Prefix)cards_story_id_position] UNIQUE (story_id, position),
    -- No cascade: deleting a run removes its cards first.
    CONSTRAINT [FK_$(Prefix)cards_stories] FOREIGN KEY (story_id) REFERENCES $(Stories) (id)
);
GO

CREATE INDEX [IX_$(Prefix)cards_run_id] ON $(Cards) (run_id);
GO

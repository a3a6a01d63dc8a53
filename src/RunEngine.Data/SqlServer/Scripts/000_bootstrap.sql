-- RunEngine.Data: bootstrap for SQL Server. Idempotent: runs before every migration, under the migration lock.
-- $(Schema), $(SchemaName), $(SchemaVersion) and $(Prefix) are replaced with the configured, validated names.
-- Batches are separated by lines holding only GO.

-- CREATE SCHEMA must be alone in its batch, hence EXEC.
IF SCHEMA_ID(N'$(SchemaName)') IS NULL
    EXEC(N'CREATE SCHEMA $(Schema)');
GO

IF OBJECT_ID(N'$(SchemaVersion)', N'U') IS NULL
    CREATE TABLE $(SchemaVersion) (
        version int NOT NULL,
        description nvarchar(200) NOT NULL,
        applied_at datetimeoffset(7) NOT NULL,
        CONSTRAINT [PK_$(Prefix)schema_version] PRIMARY KEY (version)
    );
GO

namespace RunEngine.Data.Providers;

/// <summary>Provider errors the library understands and turns into typed exceptions.</summary>
internal enum DbErrorKind
{
    /// <summary>Anything else: rethrown as it is.</summary>
    Other,

    /// <summary>A primary key or unique index rejected a row (SQL Server 2627/2601, PostgreSQL 23505, SQLite UNIQUE/PRIMARY KEY).</summary>
    UniqueViolation,

    /// <summary>A foreign key rejected a row (SQL Server 547, PostgreSQL 23503, SQLite FOREIGN KEY).</summary>
    ForeignKeyViolation,
}

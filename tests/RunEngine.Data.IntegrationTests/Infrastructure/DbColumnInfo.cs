namespace RunEngine.Data.IntegrationTests.Infrastructure;

/// <summary>A column as the database describes it (information_schema / PRAGMA table_info).</summary>
/// <param name="Name">Column name.</param>
/// <param name="DataType">The database's type name, lower case (e.g. "uuid", "nvarchar", "TEXT").</param>
/// <param name="MaxLength">Character limit for bounded text; null when unbounded or not text.</param>
/// <param name="Nullable">Whether NULL is allowed.</param>
public sealed record DbColumnInfo(string Name, string DataType, int? MaxLength, bool Nullable);

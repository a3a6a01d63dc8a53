namespace RunEngine.Data.Schema;

/// <summary>
/// What one read of the schema-version table found: the highest recorded version (0 when the table holds none), and
/// whether the table itself is missing (the library's tables were never created with this schema and prefix).
/// </summary>
internal readonly record struct SchemaVersionReading(int Version, bool TableMissing);

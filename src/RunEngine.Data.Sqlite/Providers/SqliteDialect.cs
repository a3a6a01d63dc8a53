using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Providers;

/// <summary>SQLite's SQL text rules: double-quoted identifiers, no schemas, 32,766 parameters per statement.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    /// <summary>The connection's own database; SQLite has no schemas, only attached databases.</summary>
    public override string DefaultSchema => "main";

    /// <summary>SQLITE_MAX_VARIABLE_NUMBER of SQLite 3.32 and later.</summary>
    public override int MaxParameters => 32_766;

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// Tables are named without a schema: SQLite does not allow a qualified name after <c>REFERENCES</c> or
    /// <c>ON</c> of <c>CREATE INDEX</c>, and the only accepted schema is the connection's own one.
    /// </summary>
    public override string Qualify(string schema, string table) => Quote(table);
}

namespace RunEngine.Data.Providers;

/// <summary>The quoted, qualified names of the library's tables for one set of options.</summary>
internal sealed class TableNames
{
    public TableNames(RunEngineOptions options, SqlDialect dialect)
    {
        Schema = Identifier.ValidateName(options.Schema ?? dialect.DefaultSchema, nameof(RunEngineOptions.Schema), Identifier.MaxSchemaLength);
        Prefix = Identifier.ValidatePrefix(options.TablePrefix, nameof(RunEngineOptions.TablePrefix));
        QuotedSchema = dialect.Quote(Schema);
        Stories = dialect.Qualify(Schema, Prefix + "stories");
        Cards = dialect.Qualify(Schema, Prefix + "cards");
        SchemaVersion = dialect.Qualify(Schema, Prefix + "schema_version");
        RunLog = dialect.Qualify(Schema, Prefix + "run_log");
    }

    /// <summary>The validated, unquoted schema name.</summary>
    public string Schema { get; }

    /// <summary>The validated, unquoted table prefix (may be empty).</summary>
    public string Prefix { get; }

    /// <summary>The quoted schema name.</summary>
    public string QuotedSchema { get; }

    /// <summary>The stories table.</summary>
    public string Stories { get; }

    /// <summary>The cards table.</summary>
    public string Cards { get; }

    /// <summary>The run log table.</summary>
    public string RunLog { get; }

    /// <summary>The table recording applied schema versions.</summary>
    public string SchemaVersion { get; }

    /// <summary>Replaces the placeholders of a shipped schema script with these names.</summary>
    public string Expand(string script) => script
        .Replace("$(Schema)", QuotedSchema, StringComparison.Ordinal)
        .Replace("$(SchemaName)", Schema, StringComparison.Ordinal)
        .Replace("$(Stories)", Stories, StringComparison.Ordinal)
        .Replace("$(Cards)", Cards, StringComparison.Ordinal)
        .Replace("$(SchemaVersion)", SchemaVersion, StringComparison.Ordinal)
        .Replace("$(RunLog)", RunLog, StringComparison.Ordinal)
        .Replace("$(Prefix)", Prefix, StringComparison.Ordinal);
}

using RunEngine.Data.Schema;

namespace RunEngine.Data.HealthChecks;

/// <summary>
/// What the health check probes: the database's names for the report (never its connection string), the schema version
/// this library's scripts reach, and the one read of the applied version.
/// </summary>
internal sealed record HealthProbeTarget(
    string ProviderName, string Schema, string TablePrefix, int ExpectedVersion, Func<CancellationToken, Task<SchemaVersionReading>> ReadAsync)
{
    /// <summary>The target of a database object: its provider, schema, prefix and shipped scripts.</summary>
    public static HealthProbeTarget Of(RunEngineDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var provider = database.Provider;
        return new HealthProbeTarget(
            database.ProviderName, provider.Tables.Schema, provider.Tables.Prefix, provider.Schema.LatestVersion, database.ReadSchemaVersionAsync);
    }
}

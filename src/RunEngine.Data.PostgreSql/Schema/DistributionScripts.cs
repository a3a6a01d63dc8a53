using RunEngine.Data.Schema;

namespace RunEngine.Data.PostgreSql.Schema;

/// <summary>
/// The distributed layout's DDL (Scripts/Distribution/*.sql, embedded as <c>RunEngine.Data.Distribution.PostgreSql.*</c>,
/// a prefix the versioned scripts' loader does not read): <see cref="RunKeys"/> keys the tables by <c>(run_id, id)</c>,
/// <see cref="Distribute"/> distributes them by <c>run_id</c> on Citus. Both are idempotent and carry the same
/// <c>$(…)</c> placeholders as the versioned scripts.
/// </summary>
internal static class DistributionScripts
{
    private const string ResourcePrefix = "RunEngine.Data.Distribution.PostgreSql.";

    /// <summary>Primary keys <c>(run_id, id)</c> on stories, cards and the run log, the cards' foreign key re-added, an index on <c>(id)</c> per table.</summary>
    public static SchemaScript RunKeys { get; } = Load("run_keys", "distributed layout: keys by run");

    /// <summary><c>create_distributed_table</c> for stories by <c>run_id</c>, cards and run log colocated with stories.</summary>
    public static SchemaScript Distribute { get; } = Load("distribute", "distributed layout: distribute by run");

    /// <summary>Whether the citus extension is installed in the current database (one row, a boolean).</summary>
    public const string CitusInstalledSql = "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus')";

    private static SchemaScript Load(string name, string description)
    {
        using var stream = typeof(DistributionScripts).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".sql")
            ?? throw new InvalidOperationException($"The embedded script {ResourcePrefix}{name}.sql is missing.");
        using var reader = new StreamReader(stream);

        // Version -1: never recorded (layout scripts run every time, after the versioned ones).
        return new SchemaScript(-1, description, reader.ReadToEnd());
    }
}

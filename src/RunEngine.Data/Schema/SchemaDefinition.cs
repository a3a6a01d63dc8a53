using System.Data.Common;

namespace RunEngine.Data.Schema;

/// <summary>A provider's shipped DDL and the hooks the migrator needs.</summary>
internal abstract class SchemaDefinition
{
    /// <summary>Scripts in version order; version 0 is the idempotent bootstrap.</summary>
    public abstract IReadOnlyList<SchemaScript> Scripts { get; }

    /// <summary>Serializes concurrent migrations (an application lock held until the transaction ends).</summary>
    public abstract Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken);

    /// <summary>Splits an expanded script into the batches the provider executes one by one.</summary>
    public virtual IEnumerable<string> SplitBatches(string script) => [script];

    /// <summary>
    /// Whether <paramref name="exception"/> says that a table (or its schema) does not exist: what reading the
    /// schema-version table of a database whose tables were never created gives.
    /// </summary>
    public abstract bool IsMissingTable(Exception exception);

    /// <summary>The highest version the shipped scripts reach.</summary>
    public int LatestVersion => Scripts[^1].Version;
}

using System.Data.Common;

namespace RunEngine.Data.Schema;

/// <summary>A provider's shipped DDL and the hooks the migrator needs.</summary>
internal abstract class SchemaDefinition
{
    /// <summary>Scripts in version order; version 0 is the idempotent bootstrap.</summary>
    public abstract IReadOnlyList<SchemaScript> Scripts { get; }

    /// <summary>Serializes concurrent migrations (an application lock held until the transaction ends).</summary>
    public abstract Task AcquireLockAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Runs in the migration's transaction right after the lock is taken, before anything is created: a provider checks
    /// here what its configured layout needs (PostgreSQL's distributed mode: the citus extension) and throws
    /// <see cref="SchemaException"/> when it is missing. Default: nothing.
    /// </summary>
    public virtual Task CheckLayoutAsync(DbConnection connection, DbTransaction transaction, int timeoutSeconds, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Scripts (expanded like the versioned ones) that run after the versioned scripts, in the same transaction, every
    /// time: the configured layout beyond the shipped schema (PostgreSQL's distributed mode). Each must be idempotent:
    /// it changes only what is not yet in place. Never recorded as versions. Default: none.
    /// </summary>
    public virtual IReadOnlyList<SchemaScript> LayoutScripts => [];

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

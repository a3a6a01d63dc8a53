namespace RunEngine.Data;

/// <summary>Options of one bulk insert (<c>AddRangeAsync</c>) or cycle write.</summary>
public sealed class BulkInsertOptions
{
    /// <summary>The defaults: whole batch in one provider batch, no timeout, no progress.</summary>
    public static BulkInsertOptions Default { get; } = new();

    /// <summary>
    /// Rows per provider batch. Default 0: the whole stream goes as one batch.
    /// Used by SQL Server (<c>SqlBulkCopy.BatchSize</c>; all batches stay inside the one transaction, so a failure
    /// still rolls back everything). PostgreSQL's COPY and SQLite's prepared statement stream without batches and ignore it.
    /// Must not be negative.
    /// </summary>
    public int BatchSize { get; init; }

    /// <summary>
    /// Time allowed for the whole bulk operation. Default null: no limit (use the cancellation token to stop it).
    /// Must be positive and at most <see cref="MaxTimeout"/> when set.
    /// </summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Receives the number of rows handed to the database so far, every <see cref="ProgressInterval"/> rows and once at
    /// the end of each table. Default null: no reports.
    /// </summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>
    /// What to do with rows that already exist (same id, or same natural key: a story's run and position, a card's
    /// story and position). Default <see cref="ExistingRows.Fail"/>: the batch is rejected with a
    /// <see cref="BatchValidationException"/>. <see cref="ExistingRows.Skip"/> makes the insert retry-safe: existing
    /// rows are left as they are and counted as skipped (the rows go through a staging table, which costs one more
    /// set-based statement per table).
    /// </summary>
    public ExistingRows ExistingRows { get; init; } = ExistingRows.Fail;

    /// <summary>
    /// The longest <see cref="Timeout"/>: <see cref="int.MaxValue"/> milliseconds (about 24.8 days), the most that
    /// timers, socket timeouts and <c>SqlBulkCopy.BulkCopyTimeout</c> can hold. Longer is rejected on every provider,
    /// rather than failing inside one provider's protocol; use null for no limit.
    /// </summary>
    public static TimeSpan MaxTimeout { get; } = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>Rows between two progress reports. Default 1,000. Must be positive.</summary>
    public int ProgressInterval { get; init; } = 1_000;

    internal void Validate()
    {
        if (BatchSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must not be negative.");
        }

        if (Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > MaxTimeout))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Timeout), timeout, "Timeout must be positive and at most BulkInsertOptions.MaxTimeout (int.MaxValue milliseconds, about 24.8 days) when set; null means no limit.");
        }

        if (!Enum.IsDefined(ExistingRows))
        {
            throw new ArgumentOutOfRangeException(nameof(ExistingRows), ExistingRows, "ExistingRows must be Fail or Skip.");
        }

        if (ProgressInterval <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "ProgressInterval must be positive.");
        }
    }

    /// <summary>
    /// Set by the core (never by users) when the write runs in a transaction the operation does not own — a joined
    /// caller's transaction or a session's: a failure must then leave that transaction usable, undone only back to the
    /// write's savepoint. A provider whose fastest path can end the whole transaction on a constraint error (SQL
    /// Server's bulk load) takes a statement-level path instead.
    /// </summary>
    internal bool KeepTransactionUsable { get; private init; }

    /// <summary>The same options without progress reports (for the run log written alongside a cycle).</summary>
    internal BulkInsertOptions WithoutProgress() => Progress is null ? this : Copy(progress: null, KeepTransactionUsable);

    /// <summary>The same options for a write inside a transaction the operation does not own (<see cref="KeepTransactionUsable"/>).</summary>
    internal BulkInsertOptions InCallerTransaction() => KeepTransactionUsable ? this : Copy(Progress, keepTransactionUsable: true);

    private BulkInsertOptions Copy(IProgress<long>? progress, bool keepTransactionUsable) => new()
    {
        BatchSize = BatchSize,
        Timeout = Timeout,
        Progress = progress,
        ExistingRows = ExistingRows,
        ProgressInterval = ProgressInterval,
        KeepTransactionUsable = keepTransactionUsable,
    };

    /// <summary>The timeout in whole seconds for ADO.NET APIs, where 0 means no limit.</summary>
    internal int TimeoutSeconds => Timeout is { } t ? Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)) : 0;
}

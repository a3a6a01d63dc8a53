namespace RunEngine.Data.SqlServer;

/// <summary>Options of a SQL Server database (<see cref="SqlServerDatabase.Create"/>).</summary>
public sealed class SqlServerOptions : RunEngineOptions
{
    /// <summary>The largest accepted <see cref="SmallBatchThreshold"/>: 1,000, the most rows one INSERT ... VALUES may carry.</summary>
    public const int MaxSmallBatchThreshold = 1_000;

    /// <summary>
    /// Batches with fewer rows than this go as one multi-row parameterized <c>INSERT</c> instead of <c>SqlBulkCopy</c>,
    /// whose metadata round trips cost more than sending a handful of rows. Default 50; the default will be revisited
    /// when the perf runner has SQL Server figures. 0 sends every batch through <c>SqlBulkCopy</c>.
    /// Up to this many rows are held in memory while the batch size is found out.
    /// Must be between 0 and <see cref="MaxSmallBatchThreshold"/>.
    /// </summary>
    public int SmallBatchThreshold { get; set; } = 50;

    /// <summary>
    /// Whether <c>SqlBulkCopy</c> checks constraints (<c>SqlBulkCopyOptions.CheckConstraints</c>). Default true:
    /// without it a bulk load skips the foreign key check and leaves the foreign keys marked untrusted, so the
    /// optimizer stops relying on them and rows pointing at missing stories can get in.
    /// </summary>
    public bool CheckConstraints { get; set; } = true;

    /// <inheritdoc/>
    protected internal override void Validate()
    {
        base.Validate();
        if (SmallBatchThreshold is < 0 or > MaxSmallBatchThreshold)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SmallBatchThreshold),
                SmallBatchThreshold,
                $"SmallBatchThreshold must be between 0 and {MaxSmallBatchThreshold}.");
        }
    }
}

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>The I/O timeout of a binary COPY (<c>NpgsqlBinaryImporter.Timeout</c>), the same for every COPY the library sends.</summary>
internal static class CopyTimeout
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// "No limit" that every supported Npgsql honours: the longest timeout Npgsql accepts
    /// (<see cref="BulkInsertOptions.MaxTimeout"/>, about 24.8 days). Not <see cref="TimeSpan.Zero"/>: Npgsql 9 reads
    /// it as infinite, but Npgsql 10.0.0 as an immediate timeout (the completion fails with "Timeout during reading
    /// attempt" unless the server's answer is already there; PostgreSqlSlowCopyTests on Npgsql 10); and not
    /// <see cref="Timeout.InfiniteTimeSpan"/>, which Npgsql 10 reads as infinite but Npgsql 9 as an immediate timeout.
    /// </summary>
    public static TimeSpan NoLimit { get; } = BulkInsertOptions.MaxTimeout;

    /// <summary>The importer timeout for a call's <paramref name="timeout"/>: <see cref="NoLimit"/> without one.</summary>
    public static TimeSpan Of(TimeSpan? timeout) => timeout is { } t ? Limit(t) : NoLimit;

    /// <summary>Npgsql counts I/O timeouts in whole milliseconds: a limit never rounds down to zero.</summary>
    public static TimeSpan Limit(TimeSpan timeout) => timeout < OneMillisecond ? OneMillisecond : timeout;
}

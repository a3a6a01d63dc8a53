using System.Collections.Concurrent;
using System.Data.Common;
using Npgsql;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// Streams rows into PostgreSQL with binary COPY (<see cref="NpgsqlConnection.BeginBinaryImportAsync"/>): one COPY per
/// table and call, typed values, no statement per row.
/// </summary>
internal sealed class PostgreSqlBulkWriter : IBulkWriter
{
    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<object, object> _rowWriters = new(ReferenceEqualityComparer.Instance);

    public PostgreSqlBulkWriter(SqlDialect dialect, TimeProvider time)
    {
        _dialect = dialect;
        _time = time;
    }

    public async Task<long> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        // COPY runs in the connection's current transaction; Npgsql needs no transaction argument.
        var npgsql = connection as NpgsqlConnection
            ?? throw new ArgumentException("PostgreSQL bulk inserts need an NpgsqlConnection.", nameof(connection));
        var writer = RowWriterFor(rows.Map);
        var deadline = Deadline.Start(options.Timeout, _time);
        var importer = await npgsql.BeginBinaryImportAsync(writer.CopyCommand(table), cancellationToken).ConfigureAwait(false);
        ulong written;
        try
        {
            // Bounds each network wait, including the server's work at completion (constraint checks of every row).
            // Without a Timeout there is no limit: the connection's Command Timeout would otherwise end a long
            // completion and break the connection.
            importer.Timeout = options.Timeout is { } timeout ? Limit(timeout) : TimeSpan.Zero;
            while (await rows.MoveNextAsync().ConfigureAwait(false))
            {
                await writer.WriteRowAsync(importer, rows.Current, rows.Context).ConfigureAwait(false);
                deadline.ThrowIfExpired(table);
            }

            if (deadline.Remaining(table) is { } remaining)
            {
                importer.Timeout = Limit(remaining);
            }

            // No token: cancelling a pending completion breaks the connection (Npgsql sends no CancelRequest here), so
            // the caller's transaction would be lost; the completion is bounded by the Timeout instead.
            written = await importer.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await AbortAsync(importer).ConfigureAwait(false);
            throw;
        }

        await importer.DisposeAsync().ConfigureAwait(false);
        return checked((long)written);
    }

    /// <summary>Npgsql counts I/O timeouts in whole milliseconds, where 0 means no limit: a limit never rounds down to none.</summary>
    private static TimeSpan Limit(TimeSpan timeout) => timeout < OneMillisecond ? OneMillisecond : timeout;

    /// <summary>
    /// Disposing an uncompleted importer sends CopyFail, so the server ends the COPY with an error and the connection
    /// stays usable for the savepoint rollback. When the connection itself is gone this throws; the original error is
    /// what the caller needs to see, and the transaction dies with the connection anyway.
    /// </summary>
    private static async ValueTask AbortAsync(NpgsqlBinaryImporter importer)
    {
        try
        {
            await importer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // Deliberately ignored: see above.
        }
    }

    private CopyRowWriter<T> RowWriterFor<T>(TableMap<T> map)
        where T : class =>
        (CopyRowWriter<T>)_rowWriters.GetOrAdd(map, static (key, dialect) => new CopyRowWriter<T>((TableMap<T>)key, dialect), _dialect);
}

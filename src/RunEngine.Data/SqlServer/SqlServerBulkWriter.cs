using System.Data.Common;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Bulk;
using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// SQL Server's bulk path: batches below <see cref="SqlServerOptions.SmallBatchThreshold"/> go as multi-row INSERTs;
/// larger ones stream through <see cref="SqlBulkCopy"/> fed by an <see cref="EntityDataReader{T}"/>, with columns mapped
/// by name, inside the caller's transaction.
/// </summary>
/// <remarks>
/// When a bulk load fails on a constraint, SQL Server rolls back the whole transaction, not just the load (the
/// savepoint the core set before the write is gone with it). For a transaction the operation owns that is harmless:
/// the core rolls it back and explains the error. A caller's transaction (a joined one, or a session's) must survive a
/// rejected batch, as it does on the other providers, so there (<see cref="BulkInsertOptions.KeepTransactionUsable"/>)
/// large batches are bulk-loaded into a temp table and moved by one <c>INSERT ... SELECT</c>, whose constraint errors
/// end only that statement. That holds while <c>XACT_ABORT</c> is OFF (SqlClient's default); a caller who sets it ON
/// chooses to have every error end the transaction.
/// </remarks>
internal sealed class SqlServerBulkWriter : IBulkWriter
{
    private readonly int _smallBatchThreshold;
    private readonly SqlBulkCopyOptions _copyOptions;

    public SqlServerBulkWriter(SqlServerOptions options)
    {
        _smallBatchThreshold = options.SmallBatchThreshold;
        _copyOptions = options.CheckConstraints ? SqlBulkCopyOptions.CheckConstraints : SqlBulkCopyOptions.Default;
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
        var (sqlConnection, sqlTransaction) = Cast(connection, transaction);

        // Look ahead at most threshold rows: enough to know whether the batch is small, never the whole batch.
        var head = await RowSourceHead<T>.ReadAsync(rows, _smallBatchThreshold).ConfigureAwait(false);
        if (head.IsWholeBatch)
        {
            // Multi-row INSERTs fail statement by statement, so they are safe in a caller's transaction as they are.
            return head.Rows.Count == 0
                ? 0
                : await SqlServerInsert.ExecuteAsync(sqlConnection, sqlTransaction, table, rows, head.Rows, options.TimeoutSeconds, cancellationToken)
                    .ConfigureAwait(false);
        }

        if (!options.KeepTransactionUsable)
        {
            await CopyAsync(sqlConnection, sqlTransaction, table, rows, head, _copyOptions, options, cancellationToken).ConfigureAwait(false);
            return rows.Count;
        }

        await StageAsync(sqlConnection, sqlTransaction, table, rows, head, options, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(sqlConnection, sqlTransaction, SqlServerStaging.InsertAllText(table, rows.Map), options, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }

    public async Task<long> InsertMissingAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        TableStatements<T> table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var (sqlConnection, sqlTransaction) = Cast(connection, transaction);
        var head = await RowSourceHead<T>.ReadAsync(rows, _smallBatchThreshold).ConfigureAwait(false);
        if (head.IsWholeBatch && head.Rows.Count == 0)
        {
            return 0;
        }

        await StageAsync(sqlConnection, sqlTransaction, table.Table, rows, head, options, cancellationToken).ConfigureAwait(false);
        var command = Command(sqlConnection, sqlTransaction, SqlServerStaging.InsertMissingText(table.Table, rows.Map), options);
        await using var commandDisposal = command.ConfigureAwait(false);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerDisposal = reader.ConfigureAwait(false);
        return await InsertedCount.ReadAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates the staging table and fills it with every row: multi-row INSERTs for a small batch, SqlBulkCopy otherwise.</summary>
    private static async Task StageAsync<T>(
        SqlConnection connection,
        SqlTransaction transaction,
        string table,
        RowSource<T> rows,
        RowSourceHead<T> head,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        await ExecuteAsync(connection, transaction, SqlServerStaging.CreateText(table, rows.Map), options, cancellationToken).ConfigureAwait(false);
        var stage = SqlServerStaging.StageName(rows.Map);
        if (head.IsWholeBatch)
        {
            await SqlServerInsert.ExecuteAsync(connection, transaction, stage, rows, head.Rows, options.TimeoutSeconds, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // The temp table is the session's own: a table lock costs no concurrency and lets the load be minimally
            // logged. It has no constraints to check; the target's are checked by the INSERT ... SELECT.
            await CopyAsync(connection, transaction, stage, rows, head, SqlBulkCopyOptions.TableLock, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync<T>(
        SqlConnection connection,
        SqlTransaction transaction,
        string table,
        RowSource<T> rows,
        RowSourceHead<T> head,
        SqlBulkCopyOptions copyOptions,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var reader = new EntityDataReader<T>(rows, head.Rows);
        await using var readerDisposal = reader.ConfigureAwait(false);
        using var bulkCopy = new SqlBulkCopy(connection, copyOptions, transaction)
        {
            DestinationTableName = table,
            EnableStreaming = true,
            BatchSize = options.BatchSize,
            BulkCopyTimeout = options.TimeoutSeconds,
        };

        // By name, never by ordinal: identity columns (seq, the staging table's row number) are not mapped and the server fills them.
        foreach (var column in rows.Map.Columns)
        {
            bulkCopy.ColumnMappings.Add(column.Name, column.Name);
        }

        await bulkCopy.WriteToServerAsync(reader, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(
        SqlConnection connection, SqlTransaction transaction, string sql, BulkInsertOptions options, CancellationToken cancellationToken)
    {
        var command = Command(connection, transaction, sql, options);
        await using var commandDisposal = command.ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static SqlCommand Command(SqlConnection connection, SqlTransaction transaction, string sql, BulkInsertOptions options) =>
        new(sql, connection, transaction) { CommandTimeout = options.TimeoutSeconds };

    private static (SqlConnection Connection, SqlTransaction Transaction) Cast(DbConnection connection, DbTransaction transaction) =>
        (connection as SqlConnection
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlConnection.", nameof(connection)),
         transaction as SqlTransaction
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlTransaction.", nameof(transaction)));
}

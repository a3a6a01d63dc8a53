using System.Data.Common;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Bulk;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// SQL Server's bulk path: batches below <see cref="SqlServerOptions.SmallBatchThreshold"/> go as multi-row INSERTs;
/// larger ones stream through <see cref="SqlBulkCopy"/> fed by an <see cref="EntityDataReader{T}"/>, with columns mapped
/// by name, inside the caller's transaction.
/// </summary>
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
        var sqlConnection = connection as SqlConnection
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlConnection.", nameof(connection));
        var sqlTransaction = transaction as SqlTransaction
            ?? throw new ArgumentException("The SQL Server provider needs a Microsoft.Data.SqlClient.SqlTransaction.", nameof(transaction));

        // Look ahead at most threshold rows: enough to know whether the batch is small, never the whole batch.
        var head = await RowSourceHead<T>.ReadAsync(rows, _smallBatchThreshold).ConfigureAwait(false);
        if (head.IsWholeBatch)
        {
            return head.Rows.Count == 0
                ? 0
                : await SqlServerInsert.ExecuteAsync(sqlConnection, sqlTransaction, table, rows, head.Rows, options.TimeoutSeconds, cancellationToken)
                    .ConfigureAwait(false);
        }

        var reader = new EntityDataReader<T>(rows, head.Rows);
        await using var readerDisposal = reader.ConfigureAwait(false);
        using var bulkCopy = new SqlBulkCopy(sqlConnection, _copyOptions, sqlTransaction)
        {
            DestinationTableName = table,
            EnableStreaming = true,
            BatchSize = options.BatchSize,
            BulkCopyTimeout = options.TimeoutSeconds,
        };

        // By name, never by ordinal: the identity column seq is not mapped and the server fills it.
        foreach (var column in rows.Map.Columns)
        {
            bulkCopy.ColumnMappings.Add(column.Name, column.Name);
        }

        await bulkCopy.WriteToServerAsync(reader, cancellationToken).ConfigureAwait(false);
        return rows.Count;
    }
}

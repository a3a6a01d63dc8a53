using System.Data.Common;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.Sqlite.Bulk;

/// <summary>
/// SQLite's bulk path: SQLite is in-process, so there are no round trips to save; what costs is parsing and planning.
/// One INSERT is prepared once and executed for every row, with one parameter per column created once (explicit
/// <see cref="SqliteType"/>) and only its value changed per row, all inside the caller's transaction.
/// </summary>
internal sealed class SqliteBulkWriter : IBulkWriter
{
    public static SqliteBulkWriter Instance { get; } = new();

    public async Task<long> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var insert = SqliteInsert<T>.Prepare(connection, transaction, SqliteInsert<T>.Text(table, rows.Map.Columns, skipExisting: false), rows.Map, options);
        await using var insertDisposal = insert.ConfigureAwait(false);
        long written = 0;
        while (await rows.MoveNextAsync().ConfigureAwait(false))
        {
            await insert.ExecuteAsync(rows, cancellationToken).ConfigureAwait(false);
            written++;
        }

        return written;
    }

    /// <summary>
    /// The retry-safe variant needs no staging table on SQLite: there are no round trips to batch, so the same
    /// prepared-statement loop runs <c>INSERT ... ON CONFLICT DO NOTHING</c>, and a row counts as inserted when the
    /// statement changed one row. <c>ON CONFLICT DO NOTHING</c> without a target skips a row that collides with any
    /// uniqueness constraint — the primary key (id) or the natural key's unique index — and nothing else: unlike
    /// <c>INSERT OR IGNORE</c>, NOT NULL, CHECK and foreign-key failures still raise errors. Writers are serialized by
    /// the immediate transaction, so two concurrent replays of a cycle see each other's committed rows.
    /// </summary>
    public async Task<long> InsertMissingAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        TableStatements<T> table,
        RowSource<T> rows,
        BulkInsertOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        var insert = SqliteInsert<T>.Prepare(connection, transaction, SqliteInsert<T>.Text(table.Table, rows.Map.Columns, skipExisting: true), rows.Map, options);
        await using var insertDisposal = insert.ConfigureAwait(false);
        long inserted = 0;
        while (await rows.MoveNextAsync().ConfigureAwait(false))
        {
            inserted += await insert.ExecuteAsync(rows, cancellationToken).ConfigureAwait(false);
        }

        return inserted;
    }
}

using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Sqlite.Providers;

namespace RunEngine.Data.Sqlite.Bulk;

/// <summary>
/// One prepared single-row INSERT of a table: one parameter per column, created once with its <see cref="SqliteType"/>,
/// and a typed binder per column that copies the row's value into it before each execution.
/// </summary>
internal sealed class SqliteInsert<T> : IAsyncDisposable
    where T : class
{
    private readonly SqliteCommand _command;
    private readonly Action<T, WriteContext>[] _binders;

    private SqliteInsert(SqliteCommand command, Action<T, WriteContext>[] binders)
    {
        _command = command;
        _binders = binders;
    }

    /// <summary>Creates and prepares the statement <paramref name="text"/> (from <see cref="Text"/>) on the caller's transaction.</summary>
    public static SqliteInsert<T> Prepare(DbConnection connection, DbTransaction transaction, string text, TableMap<T> map, BulkInsertOptions options)
    {
        var command = (SqliteCommand)connection.CreateCommand();
        try
        {
            command.Transaction = (SqliteTransaction)transaction;
            command.CommandTimeout = options.TimeoutSeconds;
            command.CommandText = text;
            var columns = map.Columns;
            var binders = new Action<T, WriteContext>[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = ParameterName(i);
                parameter.SqliteType = SqliteTypeOf(columns[i].Kind);
                command.Parameters.Add(parameter);
                binders[i] = SqliteBinders.For(columns[i], parameter);
            }

            command.Prepare();
            return new SqliteInsert<T>(command, binders);
        }
        catch
        {
            command.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <c>INSERT INTO table (columns) VALUES (@p0, ...)</c>, with <c>ON CONFLICT DO NOTHING</c> when
    /// <paramref name="skipExisting"/>.
    /// </summary>
    public static string Text(string table, IReadOnlyList<ColumnMap<T>> columns, bool skipExisting)
    {
        var dialect = SqliteDialect.Instance;
        var text = new StringBuilder("INSERT INTO ").Append(table).Append(" (");
        for (var i = 0; i < columns.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(dialect.Quote(columns[i].Name));
        }

        text.Append(") VALUES (");
        for (var i = 0; i < columns.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(ParameterName(i));
        }

        text.Append(')');
        return (skipExisting ? text.Append(" ON CONFLICT DO NOTHING") : text).ToString();
    }

    /// <summary>Binds the current row of <paramref name="rows"/> and runs the statement; returns the rows it inserted (0 or 1).</summary>
    public async Task<int> ExecuteAsync(RowSource<T> rows, CancellationToken cancellationToken)
    {
        var row = rows.Current;
        foreach (var bind in _binders)
        {
            bind(row, rows.Context);
        }

        try
        {
            return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            // Rows go one statement at a time and SQLite checks (immediate) constraints per statement, so the
            // rejected row is exactly the current one.
            rows.MarkCurrentRejected();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();

    private static string ParameterName(int ordinal) => string.Create(CultureInfo.InvariantCulture, $"@p{ordinal}");

    /// <summary>
    /// Ids and timestamps are bound as TEXT, exactly as Microsoft.Data.Sqlite binds a <see cref="Guid"/> or
    /// <see cref="DateTimeOffset"/> handed to Dapper, so reads, <c>IN @Ids</c> lookups and timestamp comparisons
    /// (<c>lease_expires_at &lt; @Now</c>) see the same text on both sides.
    /// </summary>
    private static SqliteType SqliteTypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Int32 or ColumnKind.Int16 => SqliteType.Integer,
        ColumnKind.Guid or ColumnKind.Text or ColumnKind.Json or ColumnKind.Timestamp => SqliteType.Text,
        _ => throw new NotSupportedException($"Column kind {kind} has no SQLite mapping."),
    };
}

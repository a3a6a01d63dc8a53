using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;
using RunEngine.Data.Sqlite.Providers;

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
        var columns = rows.Map.Columns;
        var command = (SqliteCommand)connection.CreateCommand();
        await using var commandDisposal = command.ConfigureAwait(false);
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandTimeout = options.TimeoutSeconds;
        command.CommandText = InsertText(table, columns);
        var binders = new Action<T, WriteContext>[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = ParameterName(i);
            parameter.SqliteType = SqliteTypeOf(columns[i].Kind);
            command.Parameters.Add(parameter);
            binders[i] = Binder(columns[i], parameter);
        }

        command.Prepare();
        long written = 0;
        while (await rows.MoveNextAsync().ConfigureAwait(false))
        {
            var row = rows.Current;
            foreach (var bind in binders)
            {
                bind(row, rows.Context);
            }

            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                // Rows go one statement at a time and SQLite checks (immediate) constraints per statement, so the
                // rejected row is exactly the current one.
                rows.MarkCurrentRejected();
                throw;
            }

            written++;
        }

        return written;
    }

    private static string InsertText<T>(string table, IReadOnlyList<ColumnMap<T>> columns)
        where T : class
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

        return text.Append(')').ToString();
    }

    private static string ParameterName(int ordinal) => string.Create(CultureInfo.InvariantCulture, $"@p{ordinal}");

    /// <summary>
    /// Ids and timestamps are bound as TEXT, exactly as Microsoft.Data.Sqlite binds a <see cref="Guid"/> or
    /// <see cref="DateTimeOffset"/> handed to Dapper, so reads and <c>IN @Ids</c> lookups compare equal values.
    /// </summary>
    private static SqliteType SqliteTypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Int32 or ColumnKind.Int16 => SqliteType.Integer,
        ColumnKind.Guid or ColumnKind.Text or ColumnKind.Json or ColumnKind.Timestamp => SqliteType.Text,
        _ => throw new NotSupportedException($"Column kind {kind} has no SQLite mapping."),
    };

    /// <summary>Reads the column through its typed accessor (no detour through <see cref="ColumnMap{T}.GetBoxed"/>).</summary>
    private static Action<T, WriteContext> Binder<T>(ColumnMap<T> column, SqliteParameter parameter)
        where T : class => column switch
        {
            TypedColumnMap<T, Guid> guid => (row, context) => parameter.Value = guid.Get(row, context),
            TypedColumnMap<T, int> int32 => (row, context) => parameter.Value = int32.Get(row, context),
            TypedColumnMap<T, short> int16 => (row, context) => parameter.Value = int16.Get(row, context),
            TypedColumnMap<T, DateTimeOffset> timestamp => (row, context) => parameter.Value = timestamp.Get(row, context),
            TypedColumnMap<T, string> text => (row, context) => parameter.Value = (object?)text.Get(row, context) ?? DBNull.Value,
            _ => (row, context) => parameter.Value = column.GetBoxed(row, context) ?? DBNull.Value,
        };
}

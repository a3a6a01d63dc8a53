using System.Data;
using System.Globalization;
using System.Text;
using Microsoft.Data.SqlClient;
using RunEngine.Data.Bulk;
using RunEngine.Data.Mapping;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The small-batch path: rows sent as multi-row parameterized <c>INSERT ... VALUES (...), (...)</c> statements with typed
/// parameters, as few statements as SQL Server's limits allow (2,100 parameters and 1,000 rows per statement).
/// </summary>
internal static class SqlServerInsert
{
    /// <summary>The most rows one INSERT ... VALUES accepts.</summary>
    public const int MaxRowsPerValues = 1_000;

    /// <summary>Rows per statement for a table of <paramref name="columnCount"/> columns.</summary>
    public static int MaxRowsPerStatement(int columnCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columnCount);

        // sp_executesql's own @stmt and @params count toward the request's 2,100 parameters.
        var byParameters = (SqlServerDialect.Instance.MaxParameters - 2) / columnCount;
        return Math.Clamp(byParameters, 1, MaxRowsPerValues);
    }

    /// <summary>The statement text for <paramref name="rowCount"/> rows; parameters are <c>@p{row * columns + column}</c>.</summary>
    public static string BuildText<T>(string table, IReadOnlyList<ColumnMap<T>> columns, int rowCount)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        var dialect = SqlServerDialect.Instance;
        var text = new StringBuilder("INSERT INTO ").Append(table).Append(" (");
        text.AppendJoin(", ", columns.Select(c => dialect.Quote(c.Name))).Append(") VALUES ");
        var parameter = 0;
        for (var row = 0; row < rowCount; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns.Count; column++)
            {
                text.Append(column == 0 ? "@p" : ", @p").Append(parameter++.ToString(CultureInfo.InvariantCulture));
            }

            text.Append(')');
        }

        return text.ToString();
    }

    /// <summary>A typed parameter for one value of <paramref name="column"/> (fixed sizes keep one cached plan per row count).</summary>
    public static SqlParameter CreateParameter<T>(ColumnMap<T> column, string name, object? value)
        where T : class
    {
        var parameter = new SqlParameter(name, SqlTypeOf(column.Kind)) { Value = value ?? DBNull.Value };
        switch (column.Kind)
        {
            case ColumnKind.Text:
                parameter.Size = column.MaxLength ?? -1;
                break;
            case ColumnKind.Json:
                parameter.Size = -1;
                break;
            case ColumnKind.Timestamp:
                parameter.Scale = 7;
                break;
        }

        return parameter;
    }

    /// <summary>Inserts <paramref name="rows"/> (already pulled from <paramref name="source"/>) inside <paramref name="transaction"/>.</summary>
    public static async Task<long> ExecuteAsync<T>(
        SqlConnection connection,
        SqlTransaction transaction,
        string table,
        RowSource<T> source,
        IReadOnlyList<T> rows,
        int timeoutSeconds,
        CancellationToken cancellationToken)
        where T : class
    {
        var columns = source.Map.Columns;
        var written = 0L;
        foreach (var chunk in rows.Chunk(MaxRowsPerStatement(columns.Count)))
        {
            var command = connection.CreateCommand();
            await using var commandDisposal = command.ConfigureAwait(false);
            command.Transaction = transaction;
            command.CommandTimeout = timeoutSeconds;
            command.CommandText = BuildText(table, columns, chunk.Length);
            var index = 0;
            foreach (var row in chunk)
            {
                foreach (var column in columns)
                {
                    var name = "@p" + index++.ToString(CultureInfo.InvariantCulture);
                    command.Parameters.Add(CreateParameter(column, name, column.GetBoxed(row, source.Context)));
                }
            }

            // Count what was sent, not the affected-rows result: a server or login with SET NOCOUNT ON reports -1.
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            written += chunk.Length;
        }

        return written;
    }

    private static SqlDbType SqlTypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Guid => SqlDbType.UniqueIdentifier,
        ColumnKind.Int32 => SqlDbType.Int,
        ColumnKind.Int16 => SqlDbType.SmallInt,
        ColumnKind.Text or ColumnKind.Json => SqlDbType.NVarChar,
        ColumnKind.Timestamp => SqlDbType.DateTimeOffset,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown column kind."),
    };
}

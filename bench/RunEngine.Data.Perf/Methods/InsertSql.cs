using System.Text;
using RunEngine.Data.Mapping;
using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Methods;

/// <summary>INSERT texts for the hand-written methods, from the same table map and quoting the library uses.</summary>
internal static class InsertSql
{
    /// <summary>One row, parameters named after the entity's properties (<c>@Id</c>, <c>@Title</c>…), as a Dapper user writes it.</summary>
    public static string SingleRow<T>(BenchTarget target, TableMap<T> map)
        where T : class
    {
        var statements = target.Database.Provider.StatementsFor(map);
        var values = string.Join(", ", map.Columns.Select(c => target.ParameterExpression(c, c.PropertyName)));
        return $"{statements.InsertColumns} VALUES ({values})";
    }

    /// <summary><paramref name="rows"/> rows, parameters <c>@p{row}_{column}</c>.</summary>
    public static string MultiRow<T>(BenchTarget target, TableMap<T> map, int rows)
        where T : class
    {
        var statements = target.Database.Provider.StatementsFor(map);
        var sql = new StringBuilder(statements.InsertColumns).Append(" VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < map.Columns.Count; c++)
            {
                sql.Append(c == 0 ? string.Empty : ", ").Append(target.ParameterExpression(map.Columns[c], ParameterName(r, c)[1..]));
            }

            sql.Append(')');
        }

        return sql.ToString();
    }

    /// <summary>The name with its prefix: Microsoft.Data.Sqlite otherwise looks each name up under three prefixes.</summary>
    public static string ParameterName(int row, int column) => $"@p{row}_{column}";
}

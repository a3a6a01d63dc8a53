using RunEngine.Data.Mapping;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The T-SQL of the staging path: rows are bulk-loaded into a session temp table, then moved into the target by one
/// set-based <c>INSERT ... SELECT</c>. Used for retry-safe inserts (rows that already exist are skipped) and for bulk
/// writes inside a caller's transaction (see <see cref="SqlServerBulkWriter"/>), because a constraint error of an
/// <c>INSERT ... SELECT</c> ends only the statement, while a failed bulk load ends the whole transaction.
/// </summary>
internal static class SqlServerStaging
{
    /// <summary>
    /// The staging table's own identity column: it numbers rows in the order they arrive, so that the final insert
    /// hands out the target's <c>seq</c> values in batch order (the run log is read in <c>seq</c> order).
    /// </summary>
    public const string RowColumn = "re_row";

    /// <summary>
    /// The temp table for a target table. Local temp tables belong to the session, so concurrent operations on other
    /// connections never see each other's; the suffix keeps two tables of one session apart.
    /// </summary>
    public static string StageName<T>(TableMap<T> map)
        where T : class => "#re_stage_" + map.TableSuffix;

    /// <summary>
    /// Drops a leftover staging table (there is none unless an earlier call on this session was interrupted after its
    /// transaction committed around it) and creates an empty one with the target's mapped columns, types, lengths and
    /// nullability (<c>SELECT TOP (0) ... INTO</c> copies them; the target's own identity <c>seq</c> is not selected).
    /// </summary>
    public static string CreateText<T>(string table, TableMap<T> map)
        where T : class
    {
        var stage = StageName(map);
        return $"IF OBJECT_ID(N'tempdb..{stage}') IS NOT NULL DROP TABLE {stage};\n" +
            $"SELECT TOP (0) IDENTITY(bigint, 1, 1) AS {Q(RowColumn)}, {ColumnList(map)} INTO {stage} FROM {table};";
    }

    /// <summary>
    /// Inserts the staged rows whose id, and natural key when the table has one, match no existing row; returns the
    /// number inserted as a one-row result (<c>ROWCOUNT_BIG()</c> counts even under <c>SET NOCOUNT ON</c>); drops the
    /// staging table. <c>UPDLOCK, HOLDLOCK</c> keeps the checked key ranges locked until the transaction ends, so a
    /// concurrent replay of the same rows waits and then skips them instead of failing on the unique index. One
    /// <c>NOT EXISTS</c> per unique index lets each be checked with a seek on that index.
    /// </summary>
    public static string InsertMissingText<T>(string table, TableMap<T> map)
        where T : class
    {
        var stage = StageName(map);
        var conditions = new List<string> { Missing(table, [Q("id")]) };
        if (map.NaturalKey.Count > 0)
        {
            conditions.Add(Missing(table, map.NaturalKey.Select(Q).ToArray()));
        }

        return $"INSERT INTO {table} ({ColumnList(map)})\n" +
            $"SELECT {SourceColumns(map)} FROM {stage} AS s\n" +
            $"WHERE {string.Join("\n  AND ", conditions)}\n" +
            $"ORDER BY s.{Q(RowColumn)};\n" +
            $"SELECT ROWCOUNT_BIG() AS {Q("inserted")};\n" +
            $"DROP TABLE {stage};";
    }

    /// <summary>Inserts every staged row (a constraint error fails the statement, not the transaction) and drops the staging table.</summary>
    public static string InsertAllText<T>(string table, TableMap<T> map)
        where T : class
    {
        var stage = StageName(map);
        return $"INSERT INTO {table} ({ColumnList(map)})\n" +
            $"SELECT {SourceColumns(map)} FROM {stage} AS s\n" +
            $"ORDER BY s.{Q(RowColumn)};\n" +
            $"DROP TABLE {stage};";
    }

    private static string Missing(string table, IReadOnlyList<string> key) =>
        $"NOT EXISTS (SELECT 1 FROM {table} AS e WITH (UPDLOCK, HOLDLOCK) WHERE " +
        string.Join(" AND ", key.Select(c => $"e.{c} = s.{c}")) + ")";

    private static string SourceColumns<T>(TableMap<T> map)
        where T : class => string.Join(", ", map.Columns.Select(c => "s." + Q(c.Name)));

    private static string ColumnList<T>(TableMap<T> map)
        where T : class => string.Join(", ", map.Columns.Select(c => Q(c.Name)));

    private static string Q(string name) => SqlServerDialect.Instance.Quote(name);
}

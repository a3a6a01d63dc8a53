using RunEngine.Data.Mapping;
using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// The statements of a bulk write on a distributed (Citus) database inside a transaction the operation does not own (a
/// session's or a joined caller's): COPY into a temporary stage that numbers the rows in stream order, one query that
/// finds the first row the table's keys would reject (<see cref="FirstConflict"/>), then one set-based
/// <c>INSERT … SELECT</c> of every staged row in stream order. A conflict found so is raised without any statement
/// failing, so the caller's transaction stays usable; a COPY into a distributed table could instead fail as <c>XX000</c>
/// and lose the connection.
/// </summary>
/// <remarks>
/// The checks mirror the distributed schema's constraints: the primary key <c>(run_id, id)</c>, the natural key (which
/// leads with <c>run_id</c>) and, for cards, the foreign key <c>(run_id, story_id) → stories (run_id, id)</c>; each is
/// a join on the distribution column. Every look-up into a distributed table is an inner join of the stage with it in
/// a MATERIALIZED CTE (Citus sends the stage's rows to the shards as an intermediate result); repeats within the
/// batch and missing parents are then found on the coordinator, over the stage and those results, without a
/// correlated subquery or outer join on a distributed table. Like PostgreSQL's own checks, a unique conflict
/// (earliest row first, the id before the natural key) is reported before a missing parent, which the database checks
/// at the end of the statement.
/// </remarks>
internal sealed class CheckedStagingStatements
{
    /// <summary>The check that found a conflict (<see cref="FirstConflict"/>'s first column).</summary>
    public const int IdStored = 1, IdRepeated = 2, KeyStored = 3, KeyRepeated = 4, ParentMissing = 5;

    private const string Ordinal = "runengine_ordinal";
    private const string Check = "runengine_check";

    private CheckedStagingStatements(string table, string columnList, string stageName, IReadOnlyList<string> naturalKey, string? parentColumn, string parentTable, SqlDialect dialect)
    {
        string Q(string name) => dialect.Quote(name);
        StageTable = Q(stageName);
        NaturalKey = naturalKey;
        ParentColumn = parentColumn;
        var ordinal = Q(Ordinal);
        var check = Q(Check);

        // As StagingStatements' stage: the target's columns and types, nothing else; the ordinal numbers the rows as streamed.
        Create =
            $"CREATE TEMPORARY TABLE {StageTable} ON COMMIT DROP AS SELECT {columnList} FROM {table} WITH NO DATA; " +
            $"ALTER TABLE {StageTable} ADD COLUMN {ordinal} bigint GENERATED ALWAYS AS IDENTITY";

        string Equal(string left, string right, IEnumerable<string> columns) => string.Join(" AND ", columns.Select(c => $"{left}.{Q(c)} = {right}.{Q(c)}"));
        string[] idKey = ["run_id", "id"];
        var ctes = new List<string>
        {
            $"{Q("stored_id")} AS MATERIALIZED (SELECT s.{ordinal} FROM {StageTable} AS s JOIN {table} AS t ON {Equal("t", "s", idKey)})",
        };
        var found = new List<string>
        {
            $"SELECT {ordinal}, {IdStored} AS {check} FROM {Q("stored_id")}",
            Repeats(idKey, IdRepeated),
        };
        if (naturalKey.Count > 0)
        {
            ctes.Add($"{Q("stored_key")} AS MATERIALIZED (SELECT s.{ordinal} FROM {StageTable} AS s JOIN {table} AS t ON {Equal("t", "s", naturalKey)})");
            found.Add($"SELECT {ordinal}, {KeyStored} FROM {Q("stored_key")}");
            found.Add(Repeats(naturalKey, KeyRepeated));
        }

        if (parentColumn is not null)
        {
            var parent = Q(parentColumn);
            ctes.Add(
                $"{Q("present")} AS MATERIALIZED (SELECT DISTINCT p.{Q("run_id")}, p.{Q("id")} FROM {StageTable} AS s " +
                $"JOIN {parentTable} AS p ON p.{Q("run_id")} = s.{Q("run_id")} AND p.{Q("id")} = s.{parent})");
            found.Add(
                $"SELECT s.{ordinal}, {ParentMissing} FROM {StageTable} AS s WHERE NOT EXISTS " +
                $"(SELECT 1 FROM {Q("present")} AS p WHERE p.{Q("run_id")} = s.{Q("run_id")} AND p.{Q("id")} = s.{parent})");
        }

        ctes.Add($"{Q("found")} AS ({string.Join(" UNION ALL ", found)})");
        var keyColumns = new List<string> { "id", "run_id" };
        keyColumns.AddRange(naturalKey.Where(c => c != "run_id"));
        if (parentColumn is not null && !keyColumns.Contains(parentColumn))
        {
            keyColumns.Add(parentColumn);
        }

        KeyColumns = keyColumns;
        var values = string.Join(", ", KeyColumns.Select(c => $"s.{Q(c)}::text"));
        FirstConflict =
            $"WITH {string.Join(", ", ctes)} SELECT f.{check}, s.{ordinal}, {values} FROM {Q("found")} AS f JOIN {StageTable} AS s ON s.{ordinal} = f.{ordinal} " +
            $"ORDER BY f.{check} = {ParentMissing}, f.{ordinal}, f.{check} LIMIT 1";

        // Stream order, as a COPY would have inserted them (the run log's seq follows it).
        InsertAll = $"INSERT INTO {table} ({columnList}) SELECT {columnList} FROM {StageTable} ORDER BY {ordinal}";
        Drop = $"DROP TABLE {StageTable}";

        // A later row whose key an earlier row of the stage already has (one sort, no self-join).
        string Repeats(IReadOnlyList<string> key, int number) =>
            $"SELECT {ordinal}, {number} FROM (SELECT {ordinal}, row_number() OVER (PARTITION BY {string.Join(", ", key.Select(Q))} ORDER BY {ordinal}) AS n " +
            $"FROM {StageTable}) AS r WHERE n > 1";
    }

    /// <summary>The quoted name of the stage.</summary>
    public string StageTable { get; }

    /// <summary>Creates the empty stage with its ordinal (two statements, one round trip).</summary>
    public string Create { get; }

    /// <summary>
    /// The first staged row a key would reject: its check (<see cref="IdStored"/> … <see cref="ParentMissing"/>), its
    /// ordinal (1-based stream position), then the text of each of <see cref="KeyColumns"/>; no row when none conflicts.
    /// </summary>
    public string FirstConflict { get; }

    /// <summary>The columns whose values <see cref="FirstConflict"/> returns, in order.</summary>
    public IReadOnlyList<string> KeyColumns { get; }

    /// <summary>The table's natural key (empty for the run log).</summary>
    public IReadOnlyList<string> NaturalKey { get; }

    /// <summary>The column referencing the parent story (cards), or null.</summary>
    public string? ParentColumn { get; }

    /// <summary>Inserts every staged row in stream order.</summary>
    public string InsertAll { get; }

    /// <summary>Drops the stage.</summary>
    public string Drop { get; }

    /// <summary>The statements for writing <paramref name="map"/>'s rows into <paramref name="table"/>.</summary>
    public static CheckedStagingStatements For<T>(TableMap<T> map, string table, string parentTable, SqlDialect dialect)
        where T : class
    {
        var columnList = string.Join(", ", map.Columns.Select(c => dialect.Quote(c.Name)));
        var parentColumn = map.ParentField is { } field ? map.Columns.First(c => c.PropertyName == field).Name : null;
        return new(table, columnList, "runengine_checked_" + map.TableSuffix, map.NaturalKey, parentColumn, parentTable, dialect);
    }
}

using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql.Bulk;

/// <summary>
/// The statements of a retry-safe insert into one table: a temporary staging table with the map's columns (so a
/// database-generated column such as the run log's <c>seq</c> is neither copied nor inserted), the set-based insert of
/// what is missing, and the staging table's removal.
/// </summary>
internal sealed class StagingStatements
{
    private const string StreamOrdinal = "runengine_ordinal";
    private const string InsertedName = "runengine_inserted";

    public StagingStatements(string table, string columnList, string stageName, bool keepStreamOrder, SqlDialect dialect)
    {
        // Unqualified: temporary tables live in the session's own pg_temp schema, which is searched first.
        StageTable = dialect.Quote(stageName);

        // CREATE TABLE AS takes the column types (with their lengths) from the target, and nothing else: no NOT NULL,
        // no identity, no indexes; the insert into the target checks every constraint. ON COMMIT DROP is a safety net:
        // the stage is dropped right after the insert, so one transaction can stage the same table again.
        Create = $"CREATE TEMPORARY TABLE {StageTable} ON COMMIT DROP AS SELECT {columnList} FROM {table} WITH NO DATA";
        string order;
        if (keepStreamOrder)
        {
            // The COPY does not list it, so the identity numbers the rows in the order they were streamed.
            Create += $"; ALTER TABLE {StageTable} ADD COLUMN {dialect.Quote(StreamOrdinal)} bigint GENERATED ALWAYS AS IDENTITY";
            order = dialect.Quote(StreamOrdinal);
        }
        else
        {
            // Concurrent replays lock the same keys in the same order, so they cannot deadlock even when their streams
            // list the rows differently.
            order = dialect.Quote("id");
        }

        // ON CONFLICT DO NOTHING without a target skips a row that conflicts on any unique index: the id and the
        // natural key. A concurrent transaction inserting the same rows makes this one wait for its outcome, then skip
        // (committed) or insert (rolled back), so two replays of one cycle leave exactly one copy and raise no error.
        // The inserted rows are counted from what the INSERT returns, not from its command tag: on a distributed
        // (Citus) table the tag of INSERT ... SELECT ... ON CONFLICT DO NOTHING counts every staged row, skipped or not;
        // the RETURNING rows are the ones stored, on one server and on Citus alike.
        InsertMissing =
            $"WITH {dialect.Quote(InsertedName)} AS (INSERT INTO {table} ({columnList}) SELECT {columnList} FROM {StageTable} ORDER BY {order} " +
            $"ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM {dialect.Quote(InsertedName)}";
        Drop = $"DROP TABLE {StageTable}";
    }

    /// <summary>The quoted name of the staging table.</summary>
    public string StageTable { get; }

    /// <summary>Creates the empty staging table (one or two statements, one round trip).</summary>
    public string Create { get; }

    /// <summary>Inserts the staged rows that conflict with no existing row; its one row and column is the number inserted.</summary>
    public string InsertMissing { get; }

    /// <summary>Drops the staging table.</summary>
    public string Drop { get; }

    /// <summary>The staging statements of <paramref name="statements"/>' table.</summary>
    public static StagingStatements For<T>(TableStatements<T> statements, SqlDialect dialect)
        where T : class =>
        // The table's suffix keeps stages of different tables apart within one transaction. A table without a natural
        // key (the run log) is read in the order it was written, so its rows go in as they were streamed; the others
        // are read in key order, so their insert order is free to serve locking.
        new(
            statements.Table,
            statements.ColumnList,
            "runengine_stage_" + statements.Map.TableSuffix,
            keepStreamOrder: statements.Map.NaturalKey.Count == 0,
            dialect);
}

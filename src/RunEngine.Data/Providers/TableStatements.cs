using RunEngine.Data.Mapping;

namespace RunEngine.Data.Providers;

/// <summary>
/// The parameterized statements of one table, built once per database from its <see cref="TableMap{T}"/> and the
/// provider's dialect. Values are always parameters (<c>@Name</c>); identifiers are validated and quoted.
/// </summary>
internal sealed class TableStatements<T>
    where T : class
{
    private readonly SqlDialect _dialect;

    public TableStatements(TableMap<T> map, string table, SqlDialect dialect)
    {
        Map = map;
        Table = table;
        ColumnList = string.Join(", ", map.Columns.Select(c => dialect.Quote(c.Name)));
        var select = $"SELECT {ColumnList} FROM {table}";
        SelectById = $"{select} WHERE {dialect.Quote("id")} = @Id";
        SelectByRunAndId = $"{select} WHERE {dialect.Quote("run_id")} = @RunId AND {dialect.Quote("id")} = @Id";
        SelectByRunAndIds = $"{select} WHERE {dialect.Quote("run_id")} = @RunId AND {dialect.InList(dialect.Quote("id"), "@Ids")}";
        SelectByRun = $"{select} WHERE {dialect.Quote("run_id")} = @RunId ORDER BY {string.Join(", ", map.OrderBy.Select(dialect.Quote))}";
        SelectVersion = $"SELECT {dialect.Quote("version")} FROM {table} WHERE {dialect.Quote("id")} = @Id";
        _dialect = dialect;
        UpdateStatusParts = (
            $"{dialect.Quote("status")} = @Status, {dialect.Quote("version")} = {dialect.Quote("version")} + 1, " +
            $"{dialect.Quote("updated_at")} = @UpdatedAt{ClaimResetFor("@Status")}",
            $"{dialect.Quote("id")} = @Id AND {dialect.Quote("version")} = @ExpectedVersion");
        UpdateStatus = $"UPDATE {table} SET {UpdateStatusParts.Set} WHERE {UpdateStatusParts.Where}";
        DeleteByRun = $"DELETE FROM {table} WHERE {dialect.Quote("run_id")} = @RunId";
        SelectExistingIds = $"SELECT {dialect.Quote("id")} FROM {table} WHERE {dialect.InList(dialect.Quote("id"), "@Ids")}";
        SelectExistingIdsOfRun =
            $"SELECT {dialect.Quote("id")} FROM {table} WHERE {dialect.Quote("run_id")} = @RunId AND {dialect.InList(dialect.Quote("id"), "@Ids")}";
        SelectVersions = $"SELECT {dialect.Quote("id")}, {dialect.Quote("version")} FROM {table} WHERE {dialect.InList(dialect.Quote("id"), "@Ids")}";
        SelectByIds = $"{select} WHERE {dialect.InList(dialect.Quote("id"), "@Ids")}";
        InsertColumns = $"INSERT INTO {table} ({ColumnList})";
    }

    /// <summary>The table map.</summary>
    public TableMap<T> Map { get; }

    /// <summary>The quoted, qualified table name.</summary>
    public string Table { get; }

    /// <summary>All columns, quoted, in map order.</summary>
    public string ColumnList { get; }

    /// <summary>One row by <c>@Id</c>.</summary>
    public string SelectById { get; }

    /// <summary>
    /// One row by <c>@Id</c> within the run <c>@RunId</c>: a row of another run is not found. The id's index finds it
    /// (the primary key, or on a database distributed by run the key (run_id, id) on the run's shard alone).
    /// </summary>
    public string SelectByRunAndId { get; }

    /// <summary>The rows of <c>@RunId</c> whose ids are in the list parameter <c>@Ids</c>, all columns in map order.</summary>
    public string SelectByRunAndIds { get; }

    /// <summary>Rows of <c>@RunId</c> ordered by position.</summary>
    public string SelectByRun { get; }

    /// <summary>The version of the row <c>@Id</c>.</summary>
    public string SelectVersion { get; }

    /// <summary>
    /// Sets <c>@Status</c> and <c>@UpdatedAt</c> and raises the version, when the version is <c>@ExpectedVersion</c>;
    /// on stories also ends the claim unless the status is <c>@InProgress</c>.
    /// </summary>
    public string UpdateStatus { get; }

    /// <summary>The SET items and the condition of <see cref="UpdateStatus"/>, for the one-statement form (<see cref="SingleRowChanges"/>).</summary>
    public (string Set, string Where) UpdateStatusParts { get; }

    /// <summary>Deletes the rows of <c>@RunId</c>.</summary>
    public string DeleteByRun { get; }

    /// <summary>Which of the ids in the list parameter <c>@Ids</c> exist (Dapper expands the list).</summary>
    public string SelectExistingIds { get; }

    /// <summary>
    /// Which of the ids in the list parameter <c>@Ids</c> exist in the run <c>@RunId</c>: the look-up that explains a
    /// rejected id where ids are unique per run only (<see cref="DatabaseProvider.IdsUniquePerRun"/>).
    /// </summary>
    public string SelectExistingIdsOfRun { get; }

    /// <summary>The id and version of the rows in the list parameter <c>@Ids</c> (a repeat's look at the changes it did not apply).</summary>
    public string SelectVersions { get; }

    /// <summary>The rows in the list parameter <c>@Ids</c>, all columns in map order (a repeated claim's look at what it claimed).</summary>
    public string SelectByIds { get; }

    /// <summary>The <c>INSERT INTO table (columns)</c> head of an insert statement.</summary>
    public string InsertColumns { get; }

    /// <summary>
    /// For a table with claim columns (stories): a status set outside a claim keeps the lease only when it is
    /// <c>@InProgress</c>, so no other worker takes a story whose lease still runs; any other status ends the claim,
    /// so no finished or ready story carries a holder. (The version changes either way, so the holder's claim is lost.)
    /// </summary>
    /// <param name="status">The expression of the new status: <c>@Status</c> for one row, the stage's column for a set-based change.</param>
    /// <returns>The SET items (each starting with a comma), or an empty string for a table without claim columns.</returns>
    public string ClaimResetFor(string status)
    {
        if (!Map.Columns.Any(c => c.Name == "lease_expires_at"))
        {
            return string.Empty;
        }

        string Reset(string column) =>
            $", {_dialect.Quote(column)} = CASE WHEN {status} = @InProgress THEN {_dialect.Quote(column)} ELSE NULL END";
        return Reset("claimed_by") + Reset("lease_expires_at");
    }
}

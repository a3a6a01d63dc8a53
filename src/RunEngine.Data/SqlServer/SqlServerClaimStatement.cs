using RunEngine.Data.Mapping;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// The T-SQL that claims stories (<see cref="Providers.DatabaseProvider.ClaimStories"/>): SQL Server's queue pattern,
/// update locks taken row by row (<c>UPDLOCK, ROWLOCK</c>) and rows locked by another claim skipped, never waited for
/// (<c>READPAST</c>), then one UPDATE of exactly the rows picked, whose OUTPUT returns them.
/// </summary>
/// <remarks>
/// <para>
/// Why two ordered picks instead of one <c>status = @Ready OR (status = @InProgress AND lease absent or expired)</c>: with the
/// OR, the claim index <c>(run_id, status, position)</c> yields two ranges that are each in position order but not
/// together, so the server reads every candidate of the run, sorts, then keeps <c>@Max</c>, and UPDLOCK holds every
/// row it read until the claim commits: one claim would lock the whole run and the other workers, skipping locked rows,
/// would find nothing. Each pick below is one equality range in index order, so it stops after <c>@Max</c> rows; at most
/// <c>@Max</c> rows are picked but left (they stay locked only until the short claim transaction ends).
/// </para>
/// <para>
/// Why the picks read <c>id</c>: it is not in the claim index, so each picked row is also looked up (and locked, or
/// skipped when locked) in the clustered index. The UPDATE then finds its rows by <c>seq</c>, the clustered key, on rows
/// it already holds, and waits for no other session's lock: a concurrent status update holding the row cannot deadlock
/// with the claim, it is skipped. The join on <c>id</c> keeps the optimizer from dropping that lookup.
/// </para>
/// </remarks>
internal static class SqlServerClaimStatement
{
    public static string Build(string table, string now, string expires)
    {
        var columns = RunEngineTables.Stories.Columns;
        var output = string.Join(", ", columns.Select(c => "inserted." + Q(c.Name)));
        return "WITH pick AS (\n" +
            $"    SELECT TOP (@Max) c.{Q("seq")}, c.{Q("id")}\n" +
            "    FROM (\n" +
            $"        SELECT r.{Q("seq")}, r.{Q("id")}, r.{Q("position")} FROM (\n" +
            Pick(table, $"{Q("status")} = @Ready") + ") AS r\n" +
            "        UNION ALL\n" +
            $"        SELECT x.{Q("seq")}, x.{Q("id")}, x.{Q("position")} FROM (\n" +
            Pick(table, $"{Q("status")} = @InProgress AND ({Q("lease_expires_at")} IS NULL OR {Q("lease_expires_at")} < {now})") + ") AS x\n" +
            "    ) AS c\n" +
            $"    ORDER BY c.{Q("position")})\n" +
            $"UPDATE s SET {Q("status")} = @InProgress, {Q("claimed_by")} = @Worker, {Q("lease_expires_at")} = {expires}, " +
            $"{Q("updated_at")} = {now}, {Q("version")} = s.{Q("version")} + 1\n" +
            $"OUTPUT {output}\n" +
            $"FROM {table} AS s INNER JOIN pick AS p ON p.{Q("seq")} = s.{Q("seq")} AND p.{Q("id")} = s.{Q("id")}\n" +
            $"WHERE s.{Q("run_id")} = @RunId;";
    }

    private static string Pick(string table, string condition) =>
        $"            SELECT TOP (@Max) {Q("seq")}, {Q("id")}, {Q("position")} FROM {table} WITH (UPDLOCK, READPAST, ROWLOCK)\n" +
        $"            WHERE {Q("run_id")} = @RunId AND {condition}\n" +
        $"            ORDER BY {Q("position")}";

    private static string Q(string name) => SqlServerDialect.Instance.Quote(name);
}

using RunEngine.Data.Providers;

namespace RunEngine.Data.PostgreSql;

/// <summary>
/// A single-row change and its run-log entry as one data-modifying CTE:
/// <c>WITH changed AS (UPDATE … RETURNING *), logged AS (INSERT INTO run_log … SELECT … FROM changed) SELECT … FROM changed</c>.
/// One statement is atomic by itself, so it needs no BEGIN and COMMIT: one Parse/Bind/Execute/Sync, one round trip.
/// The UPDATE takes its row lock and re-checks its WHERE on the newest row version under READ COMMITTED, exactly as
/// the UPDATE alone did; the INSERT sees only the row the UPDATE changed, so no match writes no entry.
/// </summary>
internal sealed class PostgreSqlSingleRowShape : SingleRowShape
{
    public static PostgreSqlSingleRowShape Instance { get; } = new();

    private static string Q(string name) => PostgreSqlDialect.Instance.Quote(name);

    public override string Statement(
        string prologue, string table, string set, string where, string runLog, string logColumns, Func<Func<string, string>, string> logValues, IReadOnlyList<string> returning) =>
        prologue +
        $"WITH {Q("changed")} AS (UPDATE {table} SET {set} WHERE {where} RETURNING *), " +
        $"{Q("logged")} AS (INSERT INTO {runLog} ({logColumns}) SELECT {logValues(c => Q("changed") + "." + Q(c))} FROM {Q("changed")}) " +
        $"SELECT {string.Join(", ", returning.Select(c => Q("changed") + "." + Q(c)))} FROM {Q("changed")}";

    /// <summary>
    /// <c>to_char</c> of the UTC expiry with six fractional digits (timestamptz's precision) and the round-trip
    /// format's seventh, always 0, then the offset +00:00 that <c>ToUniversalTime()</c> gives.
    /// </summary>
    public override string LeaseUntilMessage(string expires) =>
        $"'lease until ' || to_char({expires} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"0+00:00\"')";
}

using RunEngine.Data.Providers;

namespace RunEngine.Data.SqlServer;

/// <summary>
/// A single-row change and its run-log entry as one T-SQL statement:
/// <c>UPDATE … SET … OUTPUT … INTO run_log (…) OUTPUT inserted.version … WHERE …</c>. The first OUTPUT writes the
/// entry from the changed row, the second returns the stored values to the caller; one statement is atomic in
/// autocommit, so the batch needs no BEGIN TRANSACTION / COMMIT and no <c>SET XACT_ABORT</c>. (OUTPUT INTO requires a
/// target without enabled triggers, CHECK constraints or foreign keys: the run log has none, by design.) The lease
/// clock's DECLAREs go in the same batch, so the call is one request; SqlClient's pool reset (sp_reset_connection)
/// travels as a flag in that request's TDS header, not as a round trip of its own.
/// </summary>
internal sealed class SqlServerSingleRowShape : SingleRowShape
{
    public static SqlServerSingleRowShape Instance { get; } = new();

    private static string Q(string name) => SqlServerDialect.Instance.Quote(name);

    public override string Statement(
        string prologue, string table, string set, string where, string runLog, string logColumns, Func<Func<string, string>, string> logValues, IReadOnlyList<string> returning) =>
        prologue +
        $"UPDATE {table} SET {set} " +
        $"OUTPUT {logValues(c => "inserted." + Q(c))} INTO {runLog} ({logColumns}) " +
        $"OUTPUT {string.Join(", ", returning.Select(c => "inserted." + Q(c)))} " +
        $"WHERE {where};";

    /// <summary>
    /// <c>FORMAT(…, 'O')</c> is .NET's own round-trip format of the stored datetimeoffset(7) (offset +00:00, seven
    /// fractional digits), the text the two-statement form writes. Not CONVERT style 127, which writes <c>Z</c>.
    /// </summary>
    public override string LeaseUntilMessage(string expires) => $"N'lease until ' + FORMAT({expires}, 'O')";
}

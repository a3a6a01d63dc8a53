namespace RunEngine.Data.Providers;

/// <summary>
/// How a provider sends a single-row change and its run-log entry as ONE statement (PostgreSQL: a data-modifying CTE;
/// SQL Server: <c>UPDATE … OUTPUT … INTO</c> the run log). One statement is atomic by itself, so with a connection of
/// the library's own it runs in autocommit: no BEGIN and COMMIT, one round trip. A provider without such a form
/// (SQLite, in-process) supplies none and keeps the UPDATE and the log INSERT in one transaction.
/// </summary>
internal abstract class SingleRowShape
{
    /// <summary>
    /// One statement that runs <c>UPDATE table SET set WHERE where</c>, inserts one run-log row whose values (in the
    /// run log's column order) <paramref name="logValues"/> writes from a reference to a column of the changed row,
    /// and returns <paramref name="returning"/> of the changed row (no row when the WHERE matched none).
    /// </summary>
    /// <param name="prologue">Text that goes before the statement (the lease clock's declarations).</param>
    /// <param name="table">The quoted, qualified table that is changed.</param>
    /// <param name="set">The SET items.</param>
    /// <param name="where">The condition (unqualified columns of <paramref name="table"/>).</param>
    /// <param name="runLog">The quoted, qualified run log.</param>
    /// <param name="logColumns">The run log's quoted columns, in map order.</param>
    /// <param name="logValues">Writes the log row's values, given how to name a column of the changed row.</param>
    /// <param name="returning">The unquoted columns returned, in order.</param>
    public abstract string Statement(
        string prologue, string table, string set, string where, string runLog, string logColumns, Func<Func<string, string>, string> logValues, IReadOnlyList<string> returning);

    /// <summary>
    /// The renewal's log message, <c>lease until {expiry:O}</c> exactly as .NET's round-trip format writes the stored
    /// UTC expiry (<c>2026-12-01T13:33:46.1234560+00:00</c>), from the expression of the changed row's expiry.
    /// </summary>
    public abstract string LeaseUntilMessage(string expires);
}

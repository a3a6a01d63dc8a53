namespace RunEngine.Data;

/// <summary>
/// Whose clock decides when a lease expires (<see cref="RunEngineOptions.LeaseClock"/>): it computes a claim's or a
/// renewal's new expiry, tells whether a lease has expired, and stamps <c>updated_at</c> and the run log's
/// <c>occurred_at</c> of claims, renewals, completions and releases.
/// </summary>
public enum LeaseClock
{
    /// <summary>
    /// The database server's clock (the default): every host that shares a run uses the same time, whatever its own
    /// clock says, so worker hosts need no synchronized clocks. PostgreSQL: <c>statement_timestamp()</c>; SQL Server:
    /// <c>SYSUTCDATETIME()</c>, truncated to microseconds; SQLite (in-process): SQLite's own <c>'now'</c>, which is
    /// the clock of the machine that opens the file, at millisecond resolution.
    /// </summary>
    Database = 0,

    /// <summary>
    /// The <see cref="RunEngineOptions.TimeProvider"/> of the database object that makes the call, sent as a parameter.
    /// Hosts that share a run then need synchronized clocks; meant for tests that move a fake clock to expire leases.
    /// </summary>
    Host = 1,
}

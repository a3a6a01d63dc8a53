using System.Globalization;

namespace RunEngine.Data.Testing;

/// <summary>
/// What the database holds of one call's change, counted in the call's units (a cycle's rows, a status change's rows,
/// a claim's leases): how many are stored as the call makes them, how many rows the call may touch are as before it,
/// the call's log entries, and anything beyond the call (a version past +1, a lease beyond the claim).
/// </summary>
/// <param name="Expected">Units the call changes.</param>
/// <param name="Stored">Units stored exactly as the call makes them.</param>
/// <param name="Untouched">Rows the call may touch that are as before it.</param>
/// <param name="UntouchedIfNone">What <paramref name="Untouched"/> is when the call changed nothing.</param>
/// <param name="UntouchedIfAll">What <paramref name="Untouched"/> is when the call changed everything it changes.</param>
/// <param name="Log">The call's kind of log entries for its run.</param>
/// <param name="ExpectedLog">Log entries the call writes.</param>
/// <param name="Beyond">Units changed more than once or beyond the call.</param>
public sealed record FaultTally(
    long Expected, long Stored, long Untouched, long UntouchedIfNone, long UntouchedIfAll, long Log, long ExpectedLog, long Beyond)
{
    /// <summary>Everything of the call, exactly once.</summary>
    public bool IsAll => Stored == Expected && Untouched == UntouchedIfAll && Log == ExpectedLog && Beyond == 0;

    /// <summary>Nothing of the call.</summary>
    public bool IsNone => Stored == 0 && Untouched == UntouchedIfNone && Log == 0 && Beyond == 0;

    /// <summary>Units of the call that are not stored, plus log entries missing.</summary>
    public long Lost => Math.Max(0, Expected - Stored) + Math.Max(0, ExpectedLog - Log);

    /// <summary>Units written more than once or beyond the call, plus extra log entries.</summary>
    public long Doubled => Beyond + Math.Max(0, Log - ExpectedLog);

    /// <summary>"all", "none", or what it is.</summary>
    public string State => IsAll ? "all" : IsNone ? "none" : string.Create(
        CultureInfo.InvariantCulture,
        $"half-written or doubled: {Stored} of {Expected} stored, {Untouched} untouched (none: {UntouchedIfNone}, all: {UntouchedIfAll}), {Log} of {ExpectedLog} log entries, {Beyond} beyond the call");
}

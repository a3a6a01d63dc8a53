namespace RunEngine.Data.Perf.Faults;

/// <summary>
/// One injected fault: the operation, the fault point (with its cut point), how many faults fired, whether the call
/// survived, what a call that reported success did not store (<paramref name="Lost"/>) or stored twice
/// (<paramref name="Doubled"/>), and whether a call that failed left its change half-written.
/// </summary>
internal sealed record FaultCellResult(
    string Database, string Operation, string Point, int FaultsFired, bool Survived, long Lost, long Doubled, bool HalfWritten, bool CountsRows, string? Failure);

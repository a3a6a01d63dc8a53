namespace RunEngine.Data.Perf.Faults;

/// <summary>One injected fault: the operation, the fault point (with its cut point), how many faults fired, and what survived.</summary>
internal sealed record FaultCellResult(
    string Database, string Operation, string Point, int FaultsFired, bool Survived, long Lost, long Doubled, bool CountsRows, string? Failure);

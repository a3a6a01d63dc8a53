namespace RunEngine.Data;

/// <summary>What a cycle write stored.</summary>
/// <param name="Stories">Stories inserted.</param>
/// <param name="Cards">Cards inserted.</param>
/// <param name="Elapsed">Time from the first row read to the commit.</param>
public sealed record CycleWriteResult(long Stories, long Cards, TimeSpan Elapsed)
{
    /// <summary>Stories skipped because they already existed (only with <see cref="ExistingRows.Skip"/>).</summary>
    public long StoriesSkipped { get; init; }

    /// <summary>Cards skipped because they already existed (only with <see cref="ExistingRows.Skip"/>).</summary>
    public long CardsSkipped { get; init; }

    /// <summary>Run-log entries written with the cycle: the caller's, plus one <see cref="RunEventKinds.CycleWritten"/> per run when rows were inserted.</summary>
    public long Events { get; init; }
}

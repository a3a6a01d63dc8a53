namespace RunEngine.Data.Demo;

/// <summary>What one cycle wrote, as the library reported it, and the wall time the call took.</summary>
internal sealed record CycleTiming(int Number, CycleWriteResult Result, TimeSpan WallTime)
{
    public long Rows => Result.Stories + Result.Cards;
}

namespace RunEngine.Data;

/// <summary>What a cycle write stored.</summary>
/// <param name="Stories">Stories written.</param>
/// <param name="Cards">Cards written.</param>
/// <param name="Elapsed">Time from the first row read to the commit.</param>
public sealed record CycleWriteResult(long Stories, long Cards, TimeSpan Elapsed);

namespace RunEngine.Data;

/// <summary>What <see cref="IStoryRepository.DeleteRunAsync"/> removed.</summary>
/// <param name="Stories">Stories deleted.</param>
/// <param name="Cards">Cards deleted.</param>
public sealed record RunDeletionResult(long Stories, long Cards)
{
    /// <summary>Run-log entries deleted.</summary>
    public long Events { get; init; }
}

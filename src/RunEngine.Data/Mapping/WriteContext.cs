namespace RunEngine.Data.Mapping;

/// <summary>Per-batch values that column accessors need: the batch's write time fills unset timestamps.</summary>
internal sealed class WriteContext
{
    public WriteContext(DateTimeOffset now)
    {
        Now = Timestamps.Normalize(now);
    }

    /// <summary>The batch's write time, UTC, truncated to microseconds.</summary>
    public DateTimeOffset Now { get; }
}

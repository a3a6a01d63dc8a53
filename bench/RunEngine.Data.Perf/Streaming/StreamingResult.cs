namespace RunEngine.Data.Perf.Streaming;

/// <summary>The streaming check's figures for one database and one batch size (cards inserted, or card status changes).</summary>
internal sealed record StreamingResult(
    string Database,
    int Cards,
    int Stories,
    double Seconds,
    long BaselineLiveBytes,
    long PeakLiveBytes,
    long PeakInUseBytes,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen2Collections,
    long InducedCollections,
    long LiveSamples,
    long PeakWorkingSetBytes,
    long Samples)
{
    /// <summary>The bound on the live heap's growth while a batch streams (10,000,000 cards): 32 MB.</summary>
    public const long GrowthTargetBytes = 32L * 1024 * 1024;

    /// <summary>The bound on growth at the largest size over growth at the smallest (100,000 cards): 1.5.</summary>
    public const double RatioTarget = 1.5;

    /// <summary>What streamed: "insert" (a cycle of <see cref="Cards"/> cards) or "status-changes" (that many card status changes).</summary>
    public string Kind { get; init; } = "insert";

    /// <summary>What the batch retained at most: the live heap's peak over the live heap before it.</summary>
    public long LiveGrowthBytes => Math.Max(0, PeakLiveBytes - BaselineLiveBytes);

    public bool Met => LiveGrowthBytes <= GrowthTargetBytes;
}

using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>What every worker of one timed lifecycle run shares: the database, the run, K stories per claim and the lease.</summary>
internal sealed record LifecycleContext(BenchTarget Target, Guid RunId, int StoriesPerClaim, TimeSpan Lease)
{
    /// <summary>
    /// Worker batches (claims that returned at least one story): a method calls <see cref="LifecycleTally.Batch"/> once per
    /// such claim, so the runner can divide the statements by the real number of batches. When a method reports none,
    /// the runner assumes ⌈stories ÷ K⌉ and says so.
    /// </summary>
    public LifecycleTally Tally { get; init; } = new();
}

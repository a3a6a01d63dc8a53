using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>What every worker of one timed lifecycle run shares: the database, the run, K stories per claim and the lease.</summary>
internal sealed record LifecycleContext(BenchTarget Target, Guid RunId, int StoriesPerClaim, TimeSpan Lease);

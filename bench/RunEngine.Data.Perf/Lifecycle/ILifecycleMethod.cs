using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>One way of processing a written run: claim stories, move their cards to InProgress then Completed, complete the stories.</summary>
internal interface ILifecycleMethod
{
    /// <summary>"naive", "per-row", "set-based" (and "efcore").</summary>
    string Name { get; }

    /// <summary>Whether the method runs on <paramref name="target"/> (e.g. efcore: SQLite and PostgreSQL only).</summary>
    bool Supports(BenchTarget target);

    /// <summary>
    /// One worker: until nothing is claimable, claim K stories of the run, move every card of each claimed story to
    /// InProgress and then Completed, and complete each story. Returns the stories this worker completed.
    /// </summary>
    Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken);
}

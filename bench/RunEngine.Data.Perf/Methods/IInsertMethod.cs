using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>One way of writing a cycle (its stories, then its cards) in one transaction.</summary>
internal interface IInsertMethod
{
    string Name { get; }

    /// <summary>Whether the method also runs the largest sizes (above 100,000 cards): only the bulk paths do.</summary>
    bool RunsLargest { get; }

    /// <summary>Whether the method reads <see cref="PrebuiltRows"/> (built before the clock starts) rather than entities.</summary>
    bool UsesPrebuilt { get; }

    /// <summary>Whether the method runs on <paramref name="target"/> (the peers: where the bench maps them).</summary>
    bool Supports(BenchTarget target) => true;

    Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken);
}

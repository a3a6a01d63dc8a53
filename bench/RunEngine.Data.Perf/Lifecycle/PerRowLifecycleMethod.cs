using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>The "per-row" lifecycle method (not written yet).</summary>
internal sealed class PerRowLifecycleMethod : ILifecycleMethod
{
    public string Name => "per-row";

    public bool Supports(BenchTarget target) => true;

    public Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The per-row lifecycle method is not written yet.");
}

using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>The "naive" lifecycle method (not written yet).</summary>
internal sealed class NaiveLifecycleMethod : ILifecycleMethod
{
    public string Name => "naive";

    public bool Supports(BenchTarget target) => true;

    public Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The naive lifecycle method is not written yet.");
}

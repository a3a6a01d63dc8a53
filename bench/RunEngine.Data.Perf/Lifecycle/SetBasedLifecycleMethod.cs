using RunEngine.Data.Perf.Targets;

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>The "set-based" lifecycle method (not written yet).</summary>
internal sealed class SetBasedLifecycleMethod : ILifecycleMethod
{
    public string Name => "set-based";

    public bool Supports(BenchTarget target) => true;

    public Task<int> RunWorkerAsync(LifecycleContext context, string workerId, CancellationToken cancellationToken) =>
        throw new NotImplementedException("The set-based lifecycle method is not written yet.");
}

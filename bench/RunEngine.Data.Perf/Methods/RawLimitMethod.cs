using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Methods;

/// <summary>The ceiling: each database's fastest hand-written ingest path over pre-built values, no library around it.</summary>
internal sealed class RawLimitMethod : IInsertMethod
{
    public string Name => "raw-limit";

    public bool RunsLargest => true;

    public bool UsesPrebuilt => true;

    public Task RunAsync(BenchTarget target, CycleWorkload workload, PrebuiltRows? rows, CancellationToken cancellationToken) =>
        target.RawLimitAsync(rows ?? throw new ArgumentNullException(nameof(rows)), cancellationToken);
}

namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>Every lifecycle method the runner knows, one line each, in report order.</summary>
internal static class LifecycleMethods
{
    public static IReadOnlyList<ILifecycleMethod> Create() =>
    [
        new NaiveLifecycleMethod(),
        new PerRowLifecycleMethod(),
        new SetBasedLifecycleMethod(),
        new EfCoreLifecycleMethod(),
    ];
}

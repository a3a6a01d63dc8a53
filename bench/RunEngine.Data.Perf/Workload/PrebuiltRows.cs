namespace RunEngine.Data.Perf.Workload;

/// <summary>A cycle's values as arrays, built before the clock starts.</summary>
internal sealed record PrebuiltRows(StoryRow[] Stories, CardRow[] Cards);

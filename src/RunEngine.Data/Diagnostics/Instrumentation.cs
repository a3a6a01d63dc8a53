using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RunEngine.Data.Diagnostics;

/// <summary>
/// The library's activity source and instruments. Static like every .NET library's (they are immutable and shared by
/// every database object; listeners tell databases apart by the tags).
/// </summary>
internal static class Instrumentation
{
    private static readonly string? Version = typeof(Instrumentation).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(RunEngineTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(RunEngineTelemetry.MeterName, Version);

    /// <summary>OpenTelemetry's database client duration, in seconds, per operation.</summary>
    public static readonly Histogram<double> OperationDuration = Meter.CreateHistogram(
        "db.client.operation.duration",
        unit: "s",
        description: "Duration of RunEngine.Data operations.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10] });

    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>(
        "runengine.rows.written", unit: "{row}", description: "Rows inserted by bulk writes (skipped existing rows are not counted).");

    public static readonly Counter<long> Batches = Meter.CreateCounter<long>(
        "runengine.batches", unit: "{batch}", description: "Bulk table writes, one per table per call; error.type is set on failed ones.");

    public static readonly Counter<long> Conflicts = Meter.CreateCounter<long>(
        "runengine.conflicts", unit: "{conflict}", description: "Versioned updates refused because the stored version had changed.");

    public static readonly Counter<long> StoriesClaimed = Meter.CreateCounter<long>(
        "runengine.stories.claimed", unit: "{story}", description: "Stories claimed by workers.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "runengine.retries", unit: "{retry}", description: "Operations run again after a transient error (one per retry, not per call).");

    public static readonly Counter<long> LeasesLost = Meter.CreateCounter<long>(
        "runengine.leases.lost", unit: "{lease}", description: "Renewals, completions or releases refused because the worker no longer held the lease.");
}

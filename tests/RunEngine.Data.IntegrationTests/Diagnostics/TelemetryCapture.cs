using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RunEngine.Data.IntegrationTests.Diagnostics;

/// <summary>
/// Listens to the library's ActivitySource and Meter. Listeners are process-wide and tests run in parallel, so a test
/// keeps what is its own: spans of its trace (<see cref="Root"/>) and measurements tagged with its tables' prefix.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<TelemetryMeasurement> _measurements = new();

    public TelemetryCapture()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RunEngineTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);

        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RunEngineTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();

        // A parent of every span the test causes, so that its spans can be told from other tests'.
        Root = new Activity("telemetry-test").Start();
    }

    /// <summary>The test's own root span.</summary>
    public Activity Root { get; }

    /// <summary>The library's finished spans of this test.</summary>
    public IReadOnlyList<Activity> Spans => _stopped.Where(a => a.TraceId == Root.TraceId).ToArray();

    /// <summary>Measurements of <paramref name="instrument"/> tagged with a table whose name starts with <paramref name="tablePrefix"/>.</summary>
    public IReadOnlyList<TelemetryMeasurement> Measurements(string instrument, string tablePrefix) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue("db.collection.name", out var table) &&
                                 table is string name && name.StartsWith(tablePrefix, StringComparison.Ordinal)).ToArray();

    public void Dispose()
    {
        Root.Stop();
        _activities.Dispose();
        _meters.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new TelemetryMeasurement(instrument.Name, instrument.Unit, value, copy));
    }
}

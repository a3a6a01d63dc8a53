using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace RunEngine.Data.WorkerService;

/// <summary>
/// Listens to the library's meter (what an OpenTelemetry exporter would receive) and prints the totals at the end:
/// counters summed, operation durations counted per <c>db.operation.name</c>.
/// </summary>
public sealed class MetricsSummary : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private readonly ConcurrentDictionary<string, (long Count, double Seconds, double Max)> _durations = new();

    public MetricsSummary()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RunEngineTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var operation = "?";
            foreach (var tag in tags)
            {
                if (tag.Key == "db.operation.name")
                {
                    operation = tag.Value as string ?? operation;
                }
            }

            _durations.AddOrUpdate(operation, (1, value, value), (_, d) => (d.Count + 1, d.Seconds + value, Math.Max(d.Max, value)));
        });
        _listener.Start();
    }

    public void Print(TextWriter output)
    {
        output.WriteLine("Metrics of meter 'RunEngine.Data'");
        output.WriteLine($"  {"instrument",-28} {"total",8}");
        foreach (var (name, total) in _counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-28} {total,8:N0}"));
        }

        output.WriteLine();
        output.WriteLine("  db.client.operation.duration");
        output.WriteLine($"  {"db.operation.name",-18} {"count",6} {"mean ms",9} {"max ms",9}");
        foreach (var (operation, d) in _durations.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"  {operation,-18} {d.Count,6:N0} {d.Seconds * 1000 / d.Count,9:F2} {d.Max * 1000,9:F2}"));
        }
    }

    public void Dispose() => _listener.Dispose();
}

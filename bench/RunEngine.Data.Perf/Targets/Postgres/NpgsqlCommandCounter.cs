using System.Diagnostics;
using RunEngine.Data.Perf.Measurement;

namespace RunEngine.Data.Perf.Targets.Postgres;

/// <summary>
/// Counts the activities of Npgsql's own <see cref="ActivitySource"/> ("Npgsql"): one per command (query, batch or
/// COPY) that Npgsql executes for the process — the library's connections and the bench's alike. Transaction control
/// that Npgsql sends on its own (BEGIN is prepended to the next command; savepoints, COMMIT) is not traced by it; see
/// <see cref="Source"/>.
/// </summary>
internal sealed class NpgsqlCommandCounter : IStatementCounter
{
    private ActivityListener? _listener;
    private long _count;

    public string Source => "Npgsql ActivitySource \"Npgsql\": one activity per command";

    public void Start()
    {
        Interlocked.Exchange(ref _count, 0);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => Interlocked.Increment(ref _count),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Stop()
    {
        _listener?.Dispose();
        _listener = null;
        return Interlocked.Read(ref _count);
    }

    public void Dispose() => _listener?.Dispose();
}

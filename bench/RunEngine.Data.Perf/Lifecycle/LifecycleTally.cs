namespace RunEngine.Data.Perf.Lifecycle;

/// <summary>Counts the worker batches of one lifecycle run, across its workers (thread-safe).</summary>
internal sealed class LifecycleTally
{
    private int _batches;

    public int Batches => Volatile.Read(ref _batches);

    /// <summary>One claim that returned stories.</summary>
    public void Batch() => Interlocked.Increment(ref _batches);
}

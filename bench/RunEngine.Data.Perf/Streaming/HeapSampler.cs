namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// Samples the managed heap on a dedicated thread every few milliseconds: the bytes currently in use
/// (<see cref="GC.GetTotalMemory(bool)"/>, garbage not yet collected included) and the heap size the last collection
/// left (<see cref="GCMemoryInfo.HeapSizeBytes"/>, what survived plus fragmentation). Keeps the peaks of both.
/// </summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private long _peakInUse;
    private long _peakAfterGc;
    private long _samples;

    public HeapSampler(TimeSpan interval)
    {
        _thread = new Thread(() =>
        {
            do
            {
                Sample();
            }
            while (!_stop.Wait(interval));
        })
        {
            IsBackground = true,
            Name = "heap sampler",
        };
        _thread.Start();
    }

    public long PeakInUseBytes => Interlocked.Read(ref _peakInUse);

    public long PeakAfterGcBytes => Interlocked.Read(ref _peakAfterGc);

    public long Samples => Interlocked.Read(ref _samples);

    public void Stop()
    {
        _stop.Set();
        _thread.Join();
        Sample();
    }

    public void Dispose()
    {
        if (!_stop.IsSet)
        {
            Stop();
        }

        _stop.Dispose();
    }

    private void Sample()
    {
        var inUse = GC.GetTotalMemory(forceFullCollection: false);
        var afterGc = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        Max(ref _peakInUse, inUse);
        Max(ref _peakAfterGc, afterGc);
        Interlocked.Increment(ref _samples);
    }

    private static void Max(ref long field, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }
}

namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// Watches the managed heap while a batch streams, on a dedicated thread. Two different quantities:
/// <list type="bullet">
/// <item><b>Live heap</b> — what survives a full collection: <see cref="GCMemoryInfo.HeapSizeBytes"/> minus
/// <see cref="GCMemoryInfo.FragmentedBytes"/> of a full blocking collection. This is what the batch <i>retains</i>; it
/// does not depend on when the host's GC settings choose to collect. Measured by inducing a full blocking collection
/// every <c>liveInterval</c> and once more when the caller asks (<see cref="MeasureLive"/>: the check does it when the
/// last card has been pulled, the moment per-row state would be largest), and read after every full collection the
/// runtime makes on its own.</item>
/// <item><b>Peak in use</b> — <see cref="GC.GetTotalMemory(bool)"/> without collecting, sampled every few milliseconds:
/// live objects plus garbage not yet collected, so mostly the size of gen0's budget. Reported beside, not judged.</item>
/// </list>
/// A gen0/gen1 collection's heap size after it is no measure of retention (dead objects already promoted to older
/// generations are counted until a full collection), so only full collections feed the live figure.
/// </summary>
internal sealed class HeapSampler : IDisposable
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();
    private readonly object _induce = new();
    private long _peakInUse;
    private long _peakLive;
    private long _lastGcIndex;
    private long _samples;
    private long _liveSamples;
    private long _induced;

    public HeapSampler(TimeSpan interval, TimeSpan liveInterval)
    {
        var every = Math.Max(1, (int)(liveInterval.Ticks / Math.Max(1, interval.Ticks)));
        _thread = new Thread(() =>
        {
            var tick = 0;
            do
            {
                Sample();
                if (++tick % every == 0)
                {
                    MeasureLive();
                }
            }
            while (!_stop.Wait(interval));
        })
        {
            IsBackground = true,
            Name = "heap sampler",
        };
        _thread.Start();
    }

    /// <summary>The largest <see cref="GC.GetTotalMemory(bool)"/> seen (garbage included).</summary>
    public long PeakInUseBytes => Interlocked.Read(ref _peakInUse);

    /// <summary>The largest live heap seen after a full collection.</summary>
    public long PeakLiveBytes => Interlocked.Read(ref _peakLive);

    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Full collections whose live heap was read (induced or the runtime's own).</summary>
    public long LiveSamples => Interlocked.Read(ref _liveSamples);

    /// <summary>Full collections this sampler induced.</summary>
    public long InducedCollections => Interlocked.Read(ref _induced);

    /// <summary>The live heap now: a full blocking, compacting collection, then what it left.</summary>
    public static long LiveBytesNow()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        return info.HeapSizeBytes - info.FragmentedBytes;
    }

    /// <summary>Induces a full collection and records the live heap it leaves.</summary>
    public void MeasureLive()
    {
        lock (_induce)
        {
            var live = LiveBytesNow();
            Interlocked.Increment(ref _induced);
            Interlocked.Increment(ref _liveSamples);
            Max(ref _peakLive, live);
            Interlocked.Exchange(ref _lastGcIndex, GC.GetGCMemoryInfo(GCKind.Any).Index);
        }
    }

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
        Max(ref _peakInUse, GC.GetTotalMemory(forceFullCollection: false));
        Interlocked.Increment(ref _samples);

        // A full collection the runtime made since the last look (background or blocking): its survivors are live.
        var full = GC.GetGCMemoryInfo(GCKind.Any);
        if (full.Index != Interlocked.Read(ref _lastGcIndex))
        {
            Interlocked.Exchange(ref _lastGcIndex, full.Index);
            if (full.Generation == 2)
            {
                Interlocked.Increment(ref _liveSamples);
                Max(ref _peakLive, full.HeapSizeBytes - full.FragmentedBytes);
            }
        }
    }

    private static void Max(ref long field, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref field)) && Interlocked.CompareExchange(ref field, value, seen) != seen)
        {
        }
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// Writes one cycle of many cards through the library from lazy generators (no list anywhere in the caller) and reports
/// how much the live managed heap grew while it streamed (what the library retained per row), beside the peak including
/// garbage. The targets: growth at most 32 MB for 10,000,000 cards, and at most 1.5× the growth for 100,000.
/// </summary>
internal static class StreamingCheck
{
    /// <summary>Between induced full collections: often enough to see growth, rare enough not to slow the stream much.</summary>
    private static readonly TimeSpan LiveInterval = TimeSpan.FromSeconds(1);

    public static async Task<StreamingResult> RunAsync(BenchTarget target, int cards, TextWriter log, CancellationToken cancellationToken)
    {
        var workload = new CycleWorkload(cards);
        await target.ResetAsync(cancellationToken);
        var result = await MeasureAsync(
            target,
            workload,
            sampler => target.Database.WriteCycleAsync(workload.StoryStream(), MeasuredAtEnd(workload.CardStream(), sampler), cancellationToken: cancellationToken));
        var (stories, written) = await target.CountRowsAsync(cancellationToken);
        if (written != workload.Cards || stories != workload.Stories)
        {
            throw new InvalidOperationException($"Streaming check: expected {workload.Cards:N0} cards, found {written:N0}.");
        }

        await log.WriteLineAsync(
            $"{target.Name} streaming check: {cards:N0} cards in {result.Seconds:F1} s, live heap growth {result.LiveGrowthBytes / 1048576.0:F1} MB, " +
            $"peak in use (garbage included) {result.PeakInUseBytes / 1048576.0:F1} MB");
        return result;
    }

    /// <summary>
    /// Runs <paramref name="stream"/> (one library call over a lazy source wrapped by <see cref="MeasuredAtEnd{T}"/>)
    /// while a <see cref="HeapSampler"/> samples the live heap, from a settled baseline; the measured result of a check.
    /// </summary>
    internal static async Task<StreamingResult> MeasureAsync(BenchTarget target, CycleWorkload workload, Func<HeapSampler, Task> stream)
    {
        Stats.Settle();
        var baseline = HeapSampler.LiveBytesNow();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = Stats.AllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        using var sampler = new HeapSampler(TimeSpan.FromMilliseconds(2), LiveInterval);
        await stream(sampler);
        sampler.Stop();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new StreamingResult(
            target.Name,
            workload.Cards,
            workload.Stories,
            seconds,
            baseline,
            sampler.PeakLiveBytes,
            sampler.PeakInUseBytes,
            Stats.AllocatedBytes() - allocated,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(2) - gen2,
            sampler.InducedCollections,
            sampler.LiveSamples,
            Process.GetCurrentProcess().PeakWorkingSet64,
            sampler.Samples);
    }

    /// <summary>
    /// The rows (cards, or status changes), and once the last one has been pulled (the library asks for the next and
    /// learns there is none), one more live-heap measurement: the moment every per-row structure of the batch would be at its largest.
    /// </summary>
    internal static IEnumerable<T> MeasuredAtEnd<T>(IEnumerable<T> rows, HeapSampler sampler)
    {
        foreach (var row in rows)
        {
            yield return row;
        }

        MeasureWithoutLocals(sampler);
    }

    // Not inlined, so that no card of the iterator's frame is kept alive by the measurement's own stack.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MeasureWithoutLocals(HeapSampler sampler) => sampler.MeasureLive();
}

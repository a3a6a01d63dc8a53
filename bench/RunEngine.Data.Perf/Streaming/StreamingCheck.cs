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
        Stats.Settle();
        var baseline = HeapSampler.LiveBytesNow();
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = Stats.AllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        StreamingResult result;
        using (var sampler = new HeapSampler(TimeSpan.FromMilliseconds(2), LiveInterval))
        {
            var stream = MeasuredAtEnd(workload.CardStream(), sampler);
            await target.Database.WriteCycleAsync(workload.StoryStream(), stream, cancellationToken: cancellationToken);
            sampler.Stop();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            result = new StreamingResult(
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
    /// The cards, and once the last one has been pulled (the library asks for the next and learns there is none), one
    /// more live-heap measurement: the moment every per-row structure of the batch would be at its largest.
    /// </summary>
    private static IEnumerable<Card> MeasuredAtEnd(IEnumerable<Card> cards, HeapSampler sampler)
    {
        foreach (var card in cards)
        {
            yield return card;
        }

        MeasureWithoutLocals(sampler);
    }

    // Not inlined, so that no card of the iterator's frame is kept alive by the measurement's own stack.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MeasureWithoutLocals(HeapSampler sampler) => sampler.MeasureLive();
}

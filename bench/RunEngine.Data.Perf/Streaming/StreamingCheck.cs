using System.Diagnostics;
using RunEngine.Data.Perf.Measurement;
using RunEngine.Data.Perf.Targets;
using RunEngine.Data.Perf.Workload;

namespace RunEngine.Data.Perf.Streaming;

/// <summary>
/// Writes one cycle of many cards through the library from lazy generators (no list anywhere in the caller) and reports
/// the peak managed heap while it runs. The target: under 100 MB for 1,000,000 cards.
/// </summary>
internal static class StreamingCheck
{
    public static async Task<StreamingResult> RunAsync(BenchTarget target, int cards, TextWriter log, CancellationToken cancellationToken)
    {
        var workload = new CycleWorkload(cards);
        await target.ResetAsync(cancellationToken);
        Stats.Settle();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var allocated = Stats.AllocatedBytes();
        var started = Stopwatch.GetTimestamp();
        StreamingResult result;
        using (var sampler = new HeapSampler(TimeSpan.FromMilliseconds(2)))
        {
            await target.Database.WriteCycleAsync(workload.StoryStream(), workload.CardStream(), cancellationToken: cancellationToken);
            sampler.Stop();
            result = new StreamingResult(
                target.Name,
                workload.Cards,
                workload.Stories,
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                baseline,
                sampler.PeakInUseBytes,
                sampler.PeakAfterGcBytes,
                Stats.AllocatedBytes() - allocated,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(2) - gen2,
                Process.GetCurrentProcess().PeakWorkingSet64,
                sampler.Samples);
        }

        var (stories, written) = await target.CountRowsAsync(cancellationToken);
        if (written != workload.Cards || stories != workload.Stories)
        {
            throw new InvalidOperationException($"Streaming check: expected {workload.Cards} cards, found {written}.");
        }

        await log.WriteLineAsync($"{target.Name} streaming check: {cards:N0} cards in {result.Seconds:F1} s, peak heap in use {result.PeakInUseBytes / 1048576.0:F1} MB");
        return result;
    }
}
